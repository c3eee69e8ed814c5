// The Odoo simulator and connector under load, simulator in its own process (the real
// `crossdock simulate odoo`), client here: order creation in the simulator, concurrent JSON-RPC
// search_read, the connector's first incremental sync of released orders (read + map to the
// canonical model), and shipment confirmations (write moves, tracking ref, button_validate).
//   npx tsx bench/odoo.ts [--orders 2000] [--requests 2000] [--concurrency 8] [--shipments 200]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Shipment } from '../src/lib/integration/canonical';
import { OdooConnector } from '../src/lib/integration/connectors/odoo';
import { openRuntimeDb } from '../src/lib/integration/store/runtime-db';
import { freePort, waitForHttp } from '../test/support/cli';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '2000' },
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '8' },
    shipments: { type: 'string', default: '200' },
  },
});
const [orders, requests, concurrency, shipments] = [values.orders, values.requests, values.concurrency, values.shipments].map(Number);
const API_KEY = 'bench-0123456789abcdef0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'bench-odoo-'));
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const child = spawn(process.execPath, ['bin/crossdock.js', 'simulate', 'odoo', '--port', String(port), '--orders-per-hour', '0'], {
  env: { ...process.env, CROSSDOCK_DATA_DIR: dir, ODOO_API_KEY: API_KEY },
  stdio: 'ignore',
});
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (n: number) => `${n.toFixed(1)} ms`;

try {
  await waitForHttp(`${url}/_sim/state`);

  let t = performance.now();
  for (let made = 0; made < orders; made += 500)
    await fetch(`${url}/_sim/orders`, { method: 'POST', body: JSON.stringify({ count: Math.min(500, orders - made) }) });
  const createRate = orders / ((performance.now() - t) / 1000);

  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    params: { service: 'object', method: 'execute_kw', args: ['crossdock', 2, API_KEY, 'sale.order', 'search_read', [[['state', '=', 'sale']]], { fields: ['name', 'state', 'partner_id', 'write_date'], limit: 80, order: 'write_date asc, id asc' }] },
  });
  const latencies: number[] = [];
  let next = 0;
  t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < requests) {
        const start = performance.now();
        const res = await fetch(`${url}/jsonrpc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        if (((await res.json()) as { result?: unknown[] }).result?.length !== 80) throw new Error('search_read returned the wrong page');
        latencies.push(performance.now() - start);
      }
    }),
  );
  const searchRate = requests / ((performance.now() - t) / 1000);
  latencies.sort((a, b) => a - b);

  const db = openRuntimeDb(join(dir, 'runtime.db'));
  const connector = new OdooConnector({ endpoint: { url, database: 'crossdock', login: 'admin', apiKey: API_KEY, timeoutMs: 60_000 }, db });
  t = performance.now();
  const batch = await connector.pullReleasedOrders();
  const syncSeconds = (performance.now() - t) / 1000;
  batch.commit();
  if (batch.items.length !== orders) throw new Error(`synced ${batch.items.length} of ${orders} orders`);
  t = performance.now();
  const again = await connector.pullReleasedOrders();
  const emptySyncMs = performance.now() - t;

  t = performance.now();
  for (const released of batch.items.slice(0, shipments)) {
    const lines = released.order.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity, uom: l.uom }));
    await connector.confirmShipment(
      Shipment.parse({ shipmentId: `B-${released.order.orderId}`, orderId: released.order.orderId, warehouseId: 'bench', carrier: 'UPS', shippedAt: new Date().toISOString(), packages: [{ packageId: 'P1', trackingNumber: `TRK${released.order.orderId}` }], lines }),
    );
  }
  const shipRate = Math.min(shipments, batch.items.length) / ((performance.now() - t) / 1000);
  db.close();

  console.log(`machine: ${cpus().length} cores, Node ${process.version}`);
  console.log(`simulator order creation (create + action_confirm + reservation): ${createRate.toFixed(0)} orders/s (${orders} orders)`);
  console.log(`JSON-RPC search_read, 80 orders/page, ${concurrency} in flight: ${searchRate.toFixed(0)} req/s, p50 ${ms(pct(latencies, 50))}, p99 ${ms(pct(latencies, 99))}`);
  console.log(`connector first sync of ${orders} released orders (lines, addresses, SKUs mapped to canonical): ${(orders / syncSeconds).toFixed(0)} orders/s (${syncSeconds.toFixed(2)} s)`);
  console.log(`connector sync with nothing new (overlap re-read only): ${ms(emptySyncMs)}, ${again.items.length} items`);
  console.log(`connector shipment confirmations, sequential: ${shipRate.toFixed(1)} shipments/s (${shipments})`);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
