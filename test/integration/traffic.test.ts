import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTopology } from '../../src/lib/integration/topology';
import { simulatorStock } from '../../simulators/demo/opening-stock';
import { startEdi3plSimulator, type RunningEdi3plSimulator } from '../../simulators/edi-3pl';
import { startOdooSimulator, type OdooSimulator } from '../../simulators/odoo';
import { startTraffic } from '../../simulators/traffic';
import { startWmsBatchSimulator, type RunningBatchSimulator } from '../../simulators/wms-batch';
import { startWmsRestSimulator, type RunningSimulator } from '../../simulators/wms-rest';
import { runCli } from '../support/cli';

/**
 * The traffic generator against the real simulators on ephemeral ports, at 3000× (a demo minute
 * is 20 ms, the first incidents come within two real seconds) for a few seconds.
 */
const API_KEY = 'traffic-test-api-key-0123456789';
const secret = `whsec_${Buffer.from('traffic-test-webhook-secret-0').toString('base64')}`;
const topology = loadTopology('config/topology/topology.json');

describe('the traffic generator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'traffic-'));
  let odoo: OdooSimulator;
  let rest: RunningSimulator;
  let batch: RunningBatchSimulator;
  let edi: RunningEdi3plSimulator;
  const lines: string[] = [];
  /** Every value the REST WMS's outage fault took while the generator ran. */
  const outageSeen = new Set<boolean>();
  let stats: Awaited<ReturnType<typeof startTraffic>>['stats'];

  const restFaults = async () => (await (await fetch(`${rest.url}/_sim/faults`)).json()) as { outage: boolean; duplicateRate: number };
  const rpc = async (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => {
    const res = await fetch(`${odoo.url}/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service: 'object', method: 'execute_kw', args: ['crossdock', 2, API_KEY, model, method, args, kwargs] } }),
    });
    return ((await res.json()) as { result: unknown }).result;
  };

  beforeAll(async () => {
    odoo = await startOdooSimulator({ dataDir: join(dir, 'odoo'), port: 0, apiKey: API_KEY });
    // Claw hammers run low in Chicago: the generator should book a goods receipt.
    rest = await startWmsRestSimulator({ port: 0, apiKey: 'k', webhookSecret: secret, stock: { ...simulatorStock.wmsRest(topology), 'ACM-1001': 10 } });
    batch = await startWmsBatchSimulator({ dir: join(dir, 'batch'), sftpPort: 0, controlPort: 0, username: 'u', password: 'p', stock: simulatorStock.withUnits(topology, 'wms-batch') });
    edi = await startEdi3plSimulator({ dir: join(dir, 'edi'), sftpPort: 0, controlPort: 0, username: 'u', password: 'p', stock: simulatorStock.withUnits(topology, 'edi-3pl') });
    // An order the runtime would have sent: the generator should see it acknowledged and ship it.
    const sent = await fetch(`${rest.url}/v1/orders`, {
      method: 'POST',
      headers: { authorization: 'ApiKey k', 'content-type': 'application/json' },
      body: JSON.stringify({
        reference_id: 'S09001',
        ship_to: { name: 'Acme Hardware', address1: '1200 W Fulton St', city: 'Chicago', zip: '60607', country: 'US' },
        shipping_method: { carrier: 'UPS', service: 'GND' },
        lines: [{ line_ref: '1', sku: 'ACM-1002', quantity: 3 }],
      }),
    });
    expect(sent.status).toBe(201);

    const traffic = await startTraffic({
      odoo: { url: odoo.url, database: 'crossdock', login: 'admin', secret: API_KEY },
      warehouses: [
        { id: 'wms-rest', dialect: 'wms-rest', controlUrl: rest.url },
        { id: 'wms-batch', dialect: 'wms-batch', controlUrl: batch.controlUrl },
        { id: 'edi-3pl', dialect: 'edi-3pl', controlUrl: edi.controlUrl },
      ],
      speed: 3_000,
      tickMs: 100,
      stateFile: join(dir, 'traffic', 'clock.json'),
      log: (line) => lines.push(line),
    });
    stats = traffic.stats;
    // Until the outage (demo minute 60 → 1.2 s) has begun and the unknown SKU (20 → 80) is over.
    const until = Date.now() + 4_000;
    while (Date.now() < until) {
      outageSeen.add((await restFaults()).outage);
      await new Promise((r) => setTimeout(r, 100));
    }
    await traffic.stop();
  }, 30_000);

  afterAll(async () => {
    await Promise.all([odoo?.close(), rest?.close(), batch?.close(), edi?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates released orders in Odoo along the day curve', async () => {
    expect(stats.ordersCreated).toBeGreaterThan(5);
    expect(odoo.odoo.counters.ordersConfirmed).toBeGreaterThanOrEqual(stats.ordersCreated);
    expect(lines.some((l) => /last hour: \d+ orders released in Odoo/.test(l))).toBe(true);
  });

  it('takes the REST WMS down for the outage and brings it back when stopped', async () => {
    expect(outageSeen).toEqual(new Set([false, true]));
    expect((await restFaults()).outage).toBe(false);
    expect(lines).toContain('traffic   [day 1 09:00] outage: wms-rest is down, refusing every call (HTTP 503 / SFTP refused), until 11:30');
  });

  it('creates a product no warehouse knows through JSON-RPC, sells it, and archives it when the incident ends', async () => {
    const started = lines.find((l) => l.startsWith('traffic   [day 1 08:20] unknown SKU: Odoo has a new product ACM-9001'));
    expect(started).toBeDefined();
    const [product] = (await rpc('product.product', 'search_read', [[['default_code', '=', 'ACM-9001']]], { fields: ['active'], context: { active_test: false } })) as { id: number; active: boolean }[];
    expect(product.active).toBe(false);
    const lines_ = (await rpc('sale.order.line', 'search_count', [[['product_id', '=', product.id]]])) as number;
    expect(lines_).toBeGreaterThanOrEqual(1);
    expect(lines.some((l) => l.includes('unknown SKU over: ACM-9001 archived in Odoo'))).toBe(true);
  });

  it('ships an acknowledged order once it has waited, and replenishes an item running low', async () => {
    const state = (await (await fetch(`${rest.url}/_sim/state`)).json()) as { orders: Record<string, { status: string }>; stock: Record<string, { on_hand: number }> };
    expect(state.orders.S09001.status).toBe('Completed');
    expect(state.stock['ACM-1001'].on_hand).toBe(260);
    expect(stats.fulfilled).toBeGreaterThanOrEqual(1);
  });

  it('keeps the demo clock so the next run resumes the day', () => {
    const saved = JSON.parse(readFileSync(join(dir, 'traffic', 'clock.json'), 'utf8')) as { elapsedMinutes: number };
    expect(saved.elapsedMinutes).toBeGreaterThan(190);
  });
});

describe('crossdock traffic', () => {
  it('refuses an --incidents value other than true or false (exit 2) and explains its flags', async () => {
    const wrong = await runCli(['traffic', '--incidents=maybe']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--incidents must be true or false');
    const help = await runCli(['traffic', '--help']);
    expect(help.stdout).toContain('--speed');
  });
});
