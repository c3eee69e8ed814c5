import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOdooSimulator, type OdooSimulator } from '../../simulators/odoo';
import { Return, Shipment } from '../../src/lib/integration/canonical';
import { OdooConnector } from '../../src/lib/integration/connectors/odoo';
import { AuthFailureError, SequenceError } from '../../src/lib/integration/errors';
import { openRuntimeDb, type RuntimeDb } from '../../src/lib/integration/store/runtime-db';
import { aReturn, aShipment } from '../factories/canonical';
import { captureSpans } from '../support/spans';

const API_KEY = 'de4db33fde4db33fde4db33fde4db33fde4db33f';
const spans = captureSpans();
let sim: OdooSimulator;
let dir: string;
let db: RuntimeDb;

const connector = (apiKey = API_KEY) => new OdooConnector({ endpoint: { url: sim.url, database: 'crossdock', login: 'admin', apiKey, timeoutMs: 5_000 }, db });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'odoo-19-'));
  sim = await startOdooSimulator({ dataDir: join(dir, 'sim'), port: 0, apiKey: API_KEY, version: 19 });
  db = openRuntimeDb(join(dir, 'runtime.db'));
  await fetch(`${sim.url}/_sim/orders`, { method: 'POST', body: JSON.stringify({ count: 2 }) });
});
afterAll(async () => {
  db.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Odoo connector against Odoo 19 (JSON-2)', () => {
  it('detects 19 and reads orders over JSON-2 with the 19 field names', async () => {
    const odoo = connector();
    const dialect = await odoo.dialect();
    expect(dialect).toMatchObject({ major: 19, protocol: 'json-2', saleLineUom: 'product_uom_id', returnMethod: 'action_create_returns' });
    spans.reset();
    const orders = await odoo.pullReleasedOrders();
    expect(orders.rejected).toEqual([]);
    expect(orders.items).toHaveLength(2);
    expect(orders.items[0].order.lines[0].uom).toBeTruthy();
    orders.commit();
    const names = spans.getFinishedSpans().map((s) => s.name);
    expect(names).toContain('POST /json/2/sale.order/search_read');
    expect(names.some((n) => n.startsWith('execute_kw'))).toBe(false);
  });

  it('confirms a shipment and receives a return (18+ wizard: action_create_returns, zero defaults)', async () => {
    const odoo = connector();
    const { orders } = (await (await fetch(`${sim.url}/_sim/orders`, { method: 'POST', body: JSON.stringify({ count: 1 }) })).json()) as { orders: string[] };
    const batch = await odoo.pullReleasedOrders();
    batch.commit();
    const released = batch.items.find((i) => i.order.orderId === orders[0])!;
    const lines = released.order.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity, uom: l.uom }));
    const shipment = Shipment.parse(aShipment({ shipmentId: 'J2-SHP', orderId: released.order.orderId, packages: [{ packageId: 'P', trackingNumber: 'TRK-J2' }], lines }));
    const confirmed = await odoo.confirmShipment(shipment);
    expect(confirmed.duplicate).toBe(false);
    expect((await odoo.confirmShipment(shipment)).duplicate).toBe(true);
    await expect(odoo.confirmShipment(Shipment.parse({ ...shipment, shipmentId: 'J2-OTHER', packages: [{ packageId: 'P2', trackingNumber: 'TRK-OTHER' }] }))).rejects.toBeInstanceOf(SequenceError);

    const first = released.order.lines[0];
    const ret = Return.parse(aReturn({ returnId: 'J2-RMA', orderId: released.order.orderId, lines: [{ sku: first.sku, quantity: '1', uom: first.uom, condition: 'sellable' }] }));
    const receipt = await odoo.receiveReturn(ret);
    expect(receipt.returnPickingName).toMatch(/\/IN\/\d{5}$/);
    const state = (await (await fetch(`${sim.url}/_sim/state`)).json()) as { counters: { returnsCreated: number } };
    expect(state.counters.returnsCreated).toBe(1);
  });

  it('reports a refused bearer key as an auth failure', async () => {
    await expect(connector('not-a-key').listWarehouses()).rejects.toBeInstanceOf(AuthFailureError);
  });
});
