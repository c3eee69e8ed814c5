import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOdooSimulator } from '../../simulators/odoo';
import { OdooConnector } from '../../src/lib/integration/connectors/odoo';
import { openRuntimeDb } from '../../src/lib/integration/store/runtime-db';
import { runOdooPortContract } from '../contracts/odoo-port.contract';

const API_KEY = '3141592653589793238462643383279502884197';

// The connector against the simulator imitating each version: 17 and 18 over JSON-RPC (18 with
// its field names and return wizard), 19 over JSON-2.
for (const version of [17, 18, 19] as const)
  runOdooPortContract(`OdooConnector, Odoo ${version} simulator`, version, async () => {
    const dir = mkdtempSync(join(tmpdir(), `odoo-contract-${version}-`));
    const sim = await startOdooSimulator({ dataDir: join(dir, 'sim'), port: 0, apiKey: API_KEY, version });
    const endpoint = { url: sim.url, database: 'crossdock', login: 'admin', apiKey: API_KEY, timeoutMs: 10_000 };
    const dbs = [openRuntimeDb(join(dir, 'runtime.db'))];
    return {
      port: new OdooConnector({ endpoint, db: dbs[0] }),
      amnesiac: () => {
        dbs.push(openRuntimeDb(join(dir, `runtime-${dbs.length}.db`)));
        return new OdooConnector({ endpoint, db: dbs.at(-1)! });
      },
      releaseOrders: async (count) => ((await (await fetch(`${sim.url}/_sim/orders`, { method: 'POST', body: JSON.stringify({ count }) })).json()) as { orders: string[] }).orders,
      counters: async () => ((await (await fetch(`${sim.url}/_sim/state`)).json()) as { counters: Record<string, number> }).counters,
      cleanup: async () => {
        for (const db of dbs) db.close();
        await sim.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
