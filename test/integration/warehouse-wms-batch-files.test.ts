import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Order, eventTypes } from '../../src/lib/integration/canonical';
import { WarehouseMapping } from '../../src/lib/integration/connectors/warehouse-mapping';
import { WmsBatchAdapter } from '../../src/lib/integration/connectors/wms-batch';
import mappingJson from '../../src/lib/integration/connectors/wms-batch/fixtures/mapping.json';
import { MessageLedger } from '../../src/lib/integration/delivery';
import { AuthFailureError, MasterDataError, ValidationError } from '../../src/lib/integration/errors';
import { openRuntimeDb, type RuntimeDb } from '../../src/lib/integration/store/runtime-db';
import { startWmsBatchSimulator, type RunningBatchSimulator } from '../../simulators/wms-batch';
import { contractOrder } from '../contracts/warehouse-adapter.contract';
import { anOrder } from '../factories/canonical';

const mapping = WarehouseMapping.parse(mappingJson);

describe('wms-batch file handling', () => {
  let dir: string;
  let sim: RunningBatchSimulator;
  let db: RuntimeDb;
  let ledger: MessageLedger;
  let adapter: WmsBatchAdapter;
  const sftp = () => ({ host: '127.0.0.1', port: sim.sftpPort, username: 'crossdock', password: 'pw' });
  const control = async (path: string, body: unknown = {}) =>
    (await fetch(`${sim.controlUrl}/_sim/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<Record<string, never>>;
  const out = () => readdirSync(join(dir, 'mailbox/out'));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wms-batch-files-'));
    sim = await startWmsBatchSimulator({ dir, sftpPort: 0, controlPort: 0, username: 'crossdock', password: 'pw', stock: { 'NWH-100100': 40, '0004711': 25 } });
    db = openRuntimeDb(join(dir, 'runtime.db'));
    ledger = new MessageLedger(db);
    adapter = new WmsBatchAdapter({ sftp: sftp(), clientCode: 'CROSSDOCK', mapping }, { ledger });
  });
  afterEach(async () => {
    await adapter.close();
    await sim.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes several orders as one batch file, in cases, and the WMS takes each once', async () => {
    const sent = await adapter.sendOrders([contractOrder('S50001'), contractOrder('S50002'), contractOrder('S50003')]);
    expect(new Set(sent.map((s) => s.warehouseRef)).size).toBe(1);
    expect(sent[0].warehouseRef).toMatch(/^ORD_CROSSDOCK_\d{14}_\w+\.csv$/);
    const state = await control('process');
    expect(state.received).toEqual({ distinct: 3, raw: 3, files: 1 });
    // 24 units → 2 cases; 2 cases of 12 → 2 cases.
    expect((state.orders as Record<string, { lines: unknown[] }>).S50001.lines).toEqual([
      { lineNo: '1', item: 'NWH-100100', qty: 2 },
      { lineNo: '2', item: '0004711', qty: 2 },
    ]);
  });

  it('refuses a quantity that is not a whole number of cases instead of rounding stock away', async () => {
    const odd = Order.parse(anOrder({ orderId: 'S50004', lines: [{ lineId: '1', sku: 'HX-1001', quantity: 13, uom: 'Units' }] }));
    await expect(adapter.sendOrder(odd)).rejects.toThrow(MasterDataError);
    expect(readdirSync(join(dir, 'mailbox/in')).filter((n) => n.startsWith('ORD_'))).toEqual([]);
  });

  it('leaves a half-written file alone and imports it once it is complete', async () => {
    await adapter.sendOrder(contractOrder('S50005'));
    await control('process');
    await adapter.receive();
    await control('faults', { halfWritten: true });
    await control('fulfil', { orderId: 'S50005' });
    const first = await adapter.receive();
    expect(first.events.filter((e) => e.type === eventTypes.shipmentShipped)).toEqual([]);
    expect(first.rejected).toEqual([]);
    expect(out().some((n) => n.startsWith('SHP_'))).toBe(true);
    await control('process'); // the WMS finishes writing
    const second = await adapter.receive();
    expect(second.events.filter((e) => e.type === eventTypes.shipmentShipped).map((e) => e.correlationId)).toEqual(['S50005']);
  });

  it('imports a re-sent file only once', async () => {
    await adapter.sendOrder(contractOrder('S50006'));
    await control('process');
    await control('fulfil', { orderId: 'S50006' });
    await adapter.receive();
    const resent = (await control('resend')).resent as string;
    expect(out()).toContain(resent);
    const again = await adapter.receive();
    expect(again.events).toEqual([]);
    expect(again.rejected).toEqual([]);
    expect(out()).not.toContain(resent);
  });

  it('moves a file with a short row to the error folder and keeps its bytes in the ledger', async () => {
    await adapter.sendOrder(contractOrder('S50007'));
    await control('process');
    await adapter.receive();
    await control('faults', { shortRows: true });
    await control('fulfil', { orderId: 'S50007' });
    const { events, rejected } = await adapter.receive();
    expect(events.filter((e) => e.type === eventTypes.shipmentShipped)).toEqual([]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0].error).toBeInstanceOf(ValidationError);
    expect(rejected[0].error.message).toMatch(/row 2 has 10 fields, expected 12/);
    const name = rejected[0].externalId;
    expect(existsSync(join(dir, 'mailbox/error', name))).toBe(true);
    const entry = ledger.find('wms-batch', 'shipment', name)!;
    expect(entry.state).toBe('input_processed_error');
    expect(entry.rawPayload).toBe(rejected[0].rawPayload);
  });

  it('re-reads a file whose events were not accepted, and imports it exactly once afterwards', async () => {
    await adapter.sendOrder(contractOrder('S50008'));
    await control('process');
    await adapter.receive();
    await control('fulfil', { orderId: 'S50008' });
    await expect(adapter.receive(async () => Promise.reject(new Error('bus down')))).rejects.toThrow('bus down');
    const taken: string[] = [];
    await adapter.receive(async (events) => void taken.push(...events.map((e) => e.idempotencyKey)));
    expect(taken.filter((k) => k.includes(':shipment:'))).toHaveLength(1);
    expect((await adapter.receive()).events).toEqual([]);
  });

  it('refuses a file name that tries to leave the mailbox, without reading it', async () => {
    writeFileSync(join(dir, 'mailbox/out', 'SHP_..secret.csv'), 'ORDER_NO\r\nTRL;0\r\n');
    const { rejected } = await adapter.receive();
    expect(rejected.map((r) => [r.externalId, r.error.constructor.name])).toEqual([['SHP_..secret.csv', 'ValidationError']]);
    expect(ledger.find('wms-batch', 'shipment', 'SHP_..secret.csv')).toBeUndefined();
  });

  it('reports the WMS refusing an item it does not stock as a master-data mismatch', async () => {
    await adapter.sendOrder(Order.parse(anOrder({ orderId: 'S50009', lines: [{ lineId: '1', sku: 'HX-3300', quantity: 12, uom: 'Units' }] })));
    await control('process');
    const { rejected } = await adapter.receive();
    expect(rejected).toHaveLength(1);
    expect(rejected[0].error).toBeInstanceOf(MasterDataError);
    expect(rejected[0].error.message).toMatch(/S50009 \(ITEM\)/);
    expect(ledger.find('wms-batch', 'order', 'S50009')!.state).toBe('output_sent_and_error');
    // Once the WMS knows the item, replaying the order sends it again instead of calling it a duplicate.
    await control('stock', { sku: 'NWH-330000', delta: 10 });
    const again = await adapter.sendOrder(Order.parse(anOrder({ orderId: 'S50009', lines: [{ lineId: '1', sku: 'HX-3300', quantity: 12, uom: 'Units' }] })));
    expect(again.duplicate).toBe(false);
    const state = await control('process');
    expect((state.orders as Record<string, unknown>).S50009).toMatchObject({ status: '10' });
    expect((await adapter.receive()).rejected).toEqual([]);
    expect(ledger.find('wms-batch', 'order', 'S50009')!.state).toBe('output_sent_and_processed');
  });

  it('reports a refused SFTP login as an auth failure', async () => {
    const wrong = new WmsBatchAdapter({ sftp: { ...sftp(), password: 'nope' }, clientCode: 'CROSSDOCK', mapping }, { ledger });
    await expect(wrong.fetchInventory()).rejects.toThrow(AuthFailureError);
    await wrong.close();
  });
});
