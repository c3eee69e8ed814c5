import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOdooSimulator, type OdooSimulator } from '../../simulators/odoo';
import { Return, Shipment } from '../../src/lib/integration/canonical';
import { OdooConnector, type ReleasedOrder } from '../../src/lib/integration/connectors/odoo';
import { MasterDataError, PartnerUnavailableError, SequenceError } from '../../src/lib/integration/errors';
import { openRuntimeDb, type RuntimeDb } from '../../src/lib/integration/store/runtime-db';
import { aReturn, aShipment } from '../factories/canonical';

const API_KEY = 'aa11bb22cc33dd44ee55ff66aa11bb22cc33dd44';
let sim: OdooSimulator;
let dir: string;
let db: RuntimeDb;
let dbCount = 0;

/** A connector; `fresh` gives it an empty runtime database, as if our side lost its record. */
const connector = (options: { fresh?: boolean; timeoutMs?: number } = {}) =>
  new OdooConnector({
    endpoint: { url: sim.url, database: 'crossdock', login: 'admin', apiKey: API_KEY, timeoutMs: options.timeoutMs ?? 10_000 },
    db: options.fresh ? openRuntimeDb(join(dir, `runtime-${++dbCount}.db`)) : db,
  });
const simState = async () => (await (await fetch(`${sim.url}/_sim/state`)).json()) as { counters: Record<string, number>; calls: Record<string, number> };
const faults = (body: unknown) => fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: JSON.stringify(body) });

/** Generates orders in the simulator and reads them back through the connector. */
async function releasedOrders(count: number): Promise<ReleasedOrder[]> {
  const { orders } = (await (await fetch(`${sim.url}/_sim/orders`, { method: 'POST', body: JSON.stringify({ count }) })).json()) as { orders: string[] };
  const batch = await connector().pullReleasedOrders();
  batch.commit();
  // Orders shipped earlier come back too (their delivery status changed); keep the new ones.
  return batch.items.filter((item) => orders.includes(item.order.orderId));
}

/** Creates and confirms an order with known lines over JSON-RPC, and reads it back released. */
async function orderOf(lines: [string, number][]): Promise<ReleasedOrder> {
  const call = async (model: string, method: string, args: unknown[]) => {
    const res = await fetch(`${sim.url}/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, params: { service: 'object', method: 'execute_kw', args: ['crossdock', 2, API_KEY, model, method, args] } }),
    });
    return ((await res.json()) as { result: unknown }).result;
  };
  const orderLines = [];
  for (const [sku, qty] of lines) orderLines.push([0, 0, { product_id: ((await call('product.product', 'search', [[['default_code', '=', sku]]])) as number[])[0], product_uom_qty: qty }]);
  const [partner] = (await call('res.partner', 'search', [[['name', '=', 'Acme Hardware']]])) as number[];
  const id = (await call('sale.order', 'create', [{ partner_id: partner, order_line: orderLines }])) as number;
  await call('sale.order', 'action_confirm', [[id]]);
  const batch = await connector().pullReleasedOrders();
  batch.commit();
  return batch.items.find((item) => item.odooId === id)!;
}

/** A canonical shipment of the order's lines, each `fraction` shipped (rounded down). */
function shipmentOf(released: ReleasedOrder, id: string, fraction = 1) {
  const lines = released.order.lines
    .map((l) => ({ lineId: l.lineId, sku: l.sku, uom: l.uom, quantity: String(Math.floor(Number(l.quantity) * fraction)) }))
    .filter((l) => Number(l.quantity) > 0);
  return Shipment.parse(aShipment({ shipmentId: id, orderId: released.order.orderId, packages: [{ packageId: `${id}-1`, trackingNumber: `1Z${id}`, lines: [] }], lines }));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'odoo-writes-'));
  sim = await startOdooSimulator({ dataDir: join(dir, 'sim'), port: 0, apiKey: API_KEY });
  db = openRuntimeDb(join(dir, 'runtime.db'));
});
afterAll(async () => {
  db.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('shipment confirmation', () => {
  it('validates the delivery with the tracking reference, once, even when repeated', async () => {
    const [released] = await releasedOrders(1);
    const before = await simState();
    const odoo = connector();
    const result = await odoo.confirmShipment(shipmentOf(released, 'SHP-1'));
    expect(result).toMatchObject({ pickingName: expect.stringMatching(/\/OUT\/\d{5}$/), duplicate: false, backorderName: undefined });
    const after = await simState();
    expect(after.counters.pickingsValidated).toBe(before.counters.pickingsValidated + 1);
    const delivery = (await odoo.pullDeliveries()).items.find((d) => d.odooId === result.pickingId)!;
    expect(delivery).toMatchObject({ state: 'done', trackingRef: '1ZSHP-1', orderName: released.order.orderId });

    expect(await odoo.confirmShipment(shipmentOf(released, 'SHP-1'))).toEqual({ ...result, duplicate: true });
    // Our record lost (a crash after Odoo committed): Odoo's done picking with our tracking ref tells.
    expect(await connector({ fresh: true }).confirmShipment(shipmentOf(released, 'SHP-1'))).toEqual({ ...result, duplicate: true });
    const final = await simState();
    expect(final.counters.pickingsValidated).toBe(after.counters.pickingsValidated);
    expect(final.calls['stock.picking.button_validate']).toBe(after.calls['stock.picking.button_validate']);
  });

  it('leaves a backorder for a short shipment, and a later shipment validates the backorder', async () => {
    const released = await orderOf([['ACM-1001', 10], ['ACM-1002', 4]]);
    const odoo = connector();
    const [hammers, screwdrivers] = released.order.lines;
    const short = await odoo.confirmShipment(
      Shipment.parse({ ...shipmentOf(released, 'SHP-2A'), lines: [{ lineId: hammers.lineId, sku: 'ACM-1001', quantity: '6', uom: 'Units' }] }),
    );
    expect(short.backorderName).toMatch(/\/OUT\/\d{5}$/);
    const backorder = (await odoo.pullDeliveries()).items.find((d) => d.name === short.backorderName)!;
    expect(backorder.moves.map((m) => [m.sku, m.demand]).sort()).toEqual([['ACM-1001', 4], ['ACM-1002', 4]]);
    const second = await odoo.confirmShipment(
      Shipment.parse({
        ...shipmentOf(released, 'SHP-2B'),
        lines: [
          { sku: 'ACM-1001', quantity: '4', uom: 'Units' },
          { lineId: screwdrivers.lineId, sku: 'ACM-1002', quantity: '4', uom: 'Units' },
        ],
      }),
    );
    expect(second).toMatchObject({ pickingName: short.backorderName, backorderName: undefined });
  });

  it('refuses a shipment for a delivery already done, and one with a SKU not on the delivery', async () => {
    const [released] = await releasedOrders(1);
    const odoo = connector();
    await odoo.confirmShipment(shipmentOf(released, 'SHP-3'));
    await expect(odoo.confirmShipment(shipmentOf(released, 'SHP-3-OTHER'))).rejects.toBeInstanceOf(SequenceError);
    const [other] = await releasedOrders(1);
    const wrong = Shipment.parse({ ...shipmentOf(other, 'SHP-4'), lines: [{ sku: 'NOT-A-SKU', quantity: '1', uom: 'Units' }] });
    await expect(odoo.confirmShipment(wrong)).rejects.toBeInstanceOf(MasterDataError);
  });

  it('recovers from a validate that timed out but succeeded: the retry changes nothing', async () => {
    const [released] = await releasedOrders(1);
    await faults({ slowValidateMs: 1_500 });
    const impatient = connector({ timeoutMs: 500 });
    await expect(impatient.confirmShipment(shipmentOf(released, 'SHP-5'))).rejects.toBeInstanceOf(PartnerUnavailableError);
    await faults({ reset: true });
    // Wait for Odoo to finish the validation the connector gave up on.
    for (let i = 0; i < 50 && !(await connector().pullDeliveries()).items.some((d) => d.trackingRef === '1ZSHP-5' && d.state === 'done'); i++) await new Promise((r) => setTimeout(r, 100));
    const before = await simState();
    const retry = await connector().confirmShipment(shipmentOf(released, 'SHP-5'));
    expect(retry.duplicate).toBe(true);
    expect((await simState()).counters.pickingsValidated).toBe(before.counters.pickingsValidated);
  });
});

describe('inventory adjustment', () => {
  it('sets the counted quantity through inventory mode, converting units, and repeats book nothing', async () => {
    const odoo = connector();
    const before = await simState();
    // ACM-1003 is counted in Dozens in Odoo; the warehouse counted 240 units = 20 dozens.
    const result = await odoo.adjustInventory({ key: 'CNT-1:ACM-1003', sku: 'ACM-1003', warehouseCode: 'DAL', quantity: '240', uom: 'Units' });
    expect(result).toMatchObject({ after: 20, changed: true, duplicate: false });
    expect((await simState()).counters.quantsAdjusted).toBe(before.counters.quantsAdjusted + 1);
    const stock = await odoo.pullInventory();
    expect(stock.items.find((p) => p.sku === 'ACM-1003' && p.warehouseId === 'DAL')).toMatchObject({ onHand: '20', uom: 'Dozens' });

    expect(await odoo.adjustInventory({ key: 'CNT-1:ACM-1003', sku: 'ACM-1003', warehouseCode: 'DAL', quantity: '240', uom: 'Units' })).toEqual({ ...result, duplicate: true });
    const recount = await connector({ fresh: true }).adjustInventory({ key: 'CNT-2:ACM-1003', sku: 'ACM-1003', warehouseCode: 'DAL', quantity: '20', uom: 'Dozens' });
    expect(recount).toMatchObject({ changed: false, duplicate: false });
    expect((await simState()).counters.quantsAdjusted).toBe(before.counters.quantsAdjusted + 1);
  });

  it('refuses unknown SKUs, warehouses and units that do not convert', async () => {
    const odoo = connector();
    await expect(odoo.adjustInventory({ key: 'x1', sku: 'NOPE', warehouseCode: 'WH', quantity: '1', uom: 'Units' })).rejects.toBeInstanceOf(MasterDataError);
    await expect(odoo.adjustInventory({ key: 'x2', sku: 'ACM-1001', warehouseCode: 'ZZZ', quantity: '1', uom: 'Units' })).rejects.toBeInstanceOf(MasterDataError);
    await expect(odoo.adjustInventory({ key: 'x3', sku: 'ACM-1001', warehouseCode: 'WH', quantity: '1', uom: 'kg' })).rejects.toBeInstanceOf(MasterDataError);
  });
});

describe('return receipt', () => {
  it('creates and receives the return through the return wizard, once', async () => {
    const [released] = await releasedOrders(1);
    const odoo = connector();
    await odoo.confirmShipment(shipmentOf(released, 'SHP-R1'));
    const line = released.order.lines[0];
    const ret = Return.parse(aReturn({ returnId: 'RMA-1', orderId: released.order.orderId, lines: [{ sku: line.sku, quantity: '1', uom: line.uom, condition: 'sellable' }] }));
    const before = await simState();
    const receipt = await odoo.receiveReturn(ret);
    expect(receipt).toMatchObject({ returnPickingName: expect.stringMatching(/\/IN\/\d{5}$/), duplicate: false });
    const after = await simState();
    expect(after.counters.returnsCreated).toBe(before.counters.returnsCreated + 1);
    expect(after.counters.pickingsValidated).toBe(before.counters.pickingsValidated + 1);
    expect(await odoo.receiveReturn(ret)).toEqual({ ...receipt, duplicate: true });
    expect(await connector({ fresh: true }).receiveReturn(ret)).toEqual({ ...receipt, duplicate: true });
    expect((await simState()).counters.returnsCreated).toBe(after.counters.returnsCreated);
  });

  it('refuses a return for an order that was never delivered', async () => {
    const [released] = await releasedOrders(1);
    const ret = Return.parse(aReturn({ returnId: 'RMA-2', orderId: released.order.orderId, lines: [{ sku: released.order.lines[0].sku, quantity: '1', uom: released.order.lines[0].uom, condition: 'sellable' }] }));
    await expect(connector().receiveReturn(ret)).rejects.toBeInstanceOf(SequenceError);
  });
});
