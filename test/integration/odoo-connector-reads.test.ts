import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOdooSimulator, type OdooSimulator } from '../../simulators/odoo';
import { AuthFailureError, PartnerUnavailableError } from '../../src/lib/integration/errors';
import { OdooConnector } from '../../src/lib/integration/connectors/odoo';
import { openRuntimeDb, type RuntimeDb } from '../../src/lib/integration/store/runtime-db';
import { captureSpans } from '../support/spans';
import { freePort } from '../support/cli';

const API_KEY = '1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d';
const spans = captureSpans();
let sim: OdooSimulator;
let dir: string;
let db: RuntimeDb;

const connector = (overrides: Partial<ConstructorParameters<typeof OdooConnector>[0]> = {}) =>
  new OdooConnector({ endpoint: { url: sim.url, database: 'crossdock', login: 'admin', apiKey: API_KEY, timeoutMs: 5_000 }, db, ...overrides });
const generate = async (count: number) =>
  ((await (await fetch(`${sim.url}/_sim/orders`, { method: 'POST', body: JSON.stringify({ count }) })).json()) as { orders: string[] }).orders;
const faults = (body: unknown) => fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: JSON.stringify(body) });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'odoo-connector-'));
  sim = await startOdooSimulator({ dataDir: join(dir, 'sim'), port: 0, apiKey: API_KEY });
  db = openRuntimeDb(join(dir, 'runtime.db'));
});
afterAll(async () => {
  db.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Odoo connector reads (Odoo 17, JSON-RPC)', () => {
  it('detects the version and reads released orders as canonical orders, each change once', async () => {
    const names = await generate(3);
    const odoo = connector();
    expect((await odoo.dialect()).protocol).toBe('json-rpc');
    const first = await odoo.pullReleasedOrders();
    expect(first.rejected).toEqual([]);
    expect(first.items.map((i) => i.order.orderId).sort()).toEqual([...names].sort());
    const { order, warehouseCode, odooId } = first.items[0];
    expect(['WH', 'DAL', 'NJ3']).toContain(warehouseCode);
    expect(odooId).toBeGreaterThan(0);
    expect(order.releasedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(order.shipTo.country).toMatch(/^[A-Z]{2}$/);
    expect(order.customerRef).toMatch(/^PO-\d+$/);
    for (const line of order.lines) {
      expect(line.sku).toMatch(/^ACM-\d{4}$/);
      expect(['Units', 'Dozens', 'Case of 24', 'kg', 'L', 'm']).toContain(line.uom);
    }
    first.commit();
    expect((await odoo.pullReleasedOrders()).items).toEqual([]);

    // A change to one order brings back that order only, also for a new connector on the same database.
    await fetch(`${sim.url}/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, params: { service: 'object', method: 'execute_kw', args: ['crossdock', 2, API_KEY, 'sale.order', 'write', [[odooId], { client_order_ref: 'PO-CHANGED' }]] } }),
    });
    const again = await connector().pullReleasedOrders();
    expect(again.items.map((i) => i.order.customerRef)).toEqual(['PO-CHANGED']);
    again.commit();
  });

  it('does not lose a row committed late with a write_date behind the cursor (the overlap window)', async () => {
    const odoo = connector();
    (await odoo.pullReleasedOrders()).commit();
    const [name] = await generate(1);
    const latest = await odoo.pullReleasedOrders();
    latest.commit();
    expect(latest.items.map((i) => i.order.orderId)).toEqual([name]);
    // A transaction that started 20 s ago commits only now: its write_date is behind the cursor.
    const [late] = await generate(1);
    const row = [...sim.odoo.store.rows('sale.order')].find((r) => r.name === late)!;
    const past = new Date(Date.parse(`${String(row.write_date).replace(' ', 'T')}Z`) - 20_000).toISOString().slice(0, 19).replace('T', ' ');
    sim.odoo.store.update('sale.order', row.id, { write_date: past });
    sim.odoo.store.commit();
    const next = await odoo.pullReleasedOrders();
    expect(next.items.map((i) => i.order.orderId)).toEqual([late]);
    next.commit();
    expect((await odoo.pullReleasedOrders()).items).toEqual([]);
  });

  it('slices a big backlog across pulls without skipping or repeating a record', async () => {
    (await connector().pullReleasedOrders()).commit();
    const names = await generate(25);
    const sliced = connector({ pageSize: 4, maxItems: 10 });
    const seen: string[] = [];
    for (let pull = 0; pull < 5; pull++) {
      const batch = await sliced.pullReleasedOrders();
      expect(batch.items.length).toBeLessThanOrEqual(12); // a page may finish past maxItems
      seen.push(...batch.items.map((i) => i.order.orderId));
      batch.commit();
    }
    expect(seen.sort()).toEqual([...names].sort());
  });

  it('reads products with SKU, barcode and unit, warehouses, and stock positions per warehouse', async () => {
    const odoo = connector();
    const products = await odoo.pullProducts();
    expect(products.items).toHaveLength(12);
    const cement = products.items.find((p) => p.product.sku === 'ACM-2001')!;
    expect(cement.product).toMatchObject({ name: 'Portland Cement 25 kg', uom: 'kg', barcode: '4006381333979', active: true, externalIds: { odoo: String(cement.odooId) } });
    products.commit();
    expect((await odoo.pullProducts()).items).toEqual([]);

    const warehouses = await odoo.listWarehouses();
    expect(warehouses.map((w) => w.code)).toEqual(['WH', 'DAL', 'NJ3']);

    const stock = await odoo.pullInventory();
    expect(stock.items.length).toBe(36);
    const position = stock.items.find((p) => p.sku === 'ACM-1004' && p.warehouseId === 'DAL')!;
    expect(position).toMatchObject({ uom: 'Case of 24', source: 'odoo', location: 'DAL/Stock' });
    expect(Number(position.available)).toBe(Number(position.onHand) - Number(position.reserved));
    stock.commit();
  });

  it('reads outgoing deliveries with their moves', async () => {
    const odoo = connector();
    const deliveries = await odoo.pullDeliveries();
    expect(deliveries.items.length).toBeGreaterThanOrEqual(5);
    for (const d of deliveries.items) {
      expect(d.name).toMatch(/^(WH|DAL|NJ3)\/OUT\/\d{5}$/);
      expect(d.orderName).toMatch(/^S\d{5}$/);
      expect(d.moves.length).toBeGreaterThan(0);
      expect(d.moves[0].sku).toMatch(/^ACM-/);
    }
  });

  it('records an HTTP client span per call with the endpoint, method and status', async () => {
    spans.reset();
    await connector().listWarehouses();
    const span = spans.getFinishedSpans().find((s) => s.name === 'execute_kw stock.warehouse')!;
    expect(span).toBeDefined();
    expect(span.attributes).toMatchObject({
      'crossdock.endpoint.id': 'odoo',
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'url.full': `${sim.url}/jsonrpc`,
      'server.address': '127.0.0.1',
      'odoo.model': 'stock.warehouse',
      'odoo.method': 'search_read',
    });

    spans.reset();
    await connector({ endpoint: { url: sim.url, database: 'crossdock', login: 'admin', apiKey: 'revoked-key', timeoutMs: 5_000 } }).listWarehouses().catch(() => undefined);
    const failed = spans.getFinishedSpans().find((s) => s.name === 'authenticate common')!;
    expect(failed.attributes).toMatchObject({ 'crossdock.endpoint.id': 'odoo', 'crossdock.exception.category': 'auth_failure', 'http.response.status_code': 200 });
    expect(failed.status.code).toBe(2); // ERROR
    expect(failed.events.map((e) => e.name)).toContain('exception');
  });
});

describe('Odoo connector errors', () => {
  it('turns a refused key, a rotated key, maintenance and an unreachable server into typed errors', async () => {
    await expect(connector({ endpoint: { url: sim.url, database: 'crossdock', login: 'admin', apiKey: 'wrong', timeoutMs: 5_000 } }).listWarehouses()).rejects.toBeInstanceOf(AuthFailureError);

    const odoo = connector();
    await odoo.listWarehouses();
    const { apiKey } = (await (await faults({ rotateApiKey: true })).json()) as { apiKey: string };
    const rotated = await odoo.listWarehouses().catch((e: unknown) => e);
    expect(rotated).toBeInstanceOf(AuthFailureError);
    expect((rotated as AuthFailureError).retryable).toBe(false);
    expect((rotated as Error).message).toBe('Odoo AccessDenied (stock.warehouse.search_read): Access Denied');

    const fresh = connector({ endpoint: { url: sim.url, database: 'crossdock', login: 'admin', apiKey, timeoutMs: 5_000 } });
    await fresh.listWarehouses();
    await faults({ maintenance: true });
    const down = await fresh.listWarehouses().catch((e: unknown) => e);
    expect(down).toBeInstanceOf(PartnerUnavailableError);
    expect((down as PartnerUnavailableError).retryable).toBe(true);
    await faults({ reset: true });
    expect(await fresh.listWarehouses()).toHaveLength(3);

    const port = await freePort();
    await expect(connector({ endpoint: { url: `http://127.0.0.1:${port}`, database: 'crossdock', login: 'admin', apiKey, timeoutMs: 2_000 } }).listWarehouses()).rejects.toBeInstanceOf(PartnerUnavailableError);
  });
});
