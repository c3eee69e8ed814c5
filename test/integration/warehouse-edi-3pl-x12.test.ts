import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Order, eventTypes } from '../../src/lib/integration/canonical';
import { Edi3plAdapter, parseX12 } from '../../src/lib/integration/connectors/edi-3pl';
import mappingJson from '../../src/lib/integration/connectors/edi-3pl/fixtures/mapping.json';
import { WarehouseMapping } from '../../src/lib/integration/connectors/warehouse-mapping';
import { MessageLedger } from '../../src/lib/integration/delivery';
import { SequenceError, ValidationError } from '../../src/lib/integration/errors';
import { writeFileSync } from 'node:fs';
import { interchange } from '../../simulators/edi-3pl/x12-writer';
import { openRuntimeDb, type RuntimeDb } from '../../src/lib/integration/store/runtime-db';
import { startEdi3plSimulator, type RunningEdi3plSimulator } from '../../simulators/edi-3pl';
import { contractOrder } from '../contracts/warehouse-adapter.contract';
import { anOrder } from '../factories/canonical';

const mapping = WarehouseMapping.parse(mappingJson);

describe('edi-3pl X12 exchange', () => {
  let dir: string;
  let sim: RunningEdi3plSimulator;
  let db: RuntimeDb;
  let ledger: MessageLedger;
  let adapter: Edi3plAdapter;
  const make = () =>
    new Edi3plAdapter({ sftp: { host: '127.0.0.1', port: sim.sftpPort, username: 'crossdock', password: 'pw' }, ourId: 'CROSSDOCK', partnerId: 'EDI3PL', mapping, ackSlaMs: 60_000 }, { ledger, db });
  const control = async (path: string, body: unknown = {}) =>
    (await fetch(`${sim.controlUrl}/_sim/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<Record<string, never>>;
  const done = () => readdirSync(join(dir, 'mailbox/in/done')).sort().map((n) => readFileSync(join(dir, 'mailbox/in/done', n), 'latin1'));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'edi-x12-'));
    sim = await startEdi3plSimulator({ dir, sftpPort: 0, controlPort: 0, username: 'crossdock', password: 'pw', stock: { '10001001': { qty: 600, uom: 'EA' }, '10002040': { qty: 30, uom: 'CA' } } });
    db = openRuntimeDb(join(dir, 'runtime.db'));
    ledger = new MessageLedger(db);
    adapter = make();
  });
  afterEach(async () => {
    await adapter.close();
    await sim.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a valid 940 in the 3PL units with control numbers that never repeat, even after a restart', async () => {
    await adapter.sendOrder(contractOrder('S60001'));
    await adapter.close();
    adapter = make();
    await adapter.sendOrder(contractOrder('S60002'));
    await control('process');
    const [first, second] = done().map((text) => parseX12(text, '940')[0]);
    expect(Number(second.control)).toBeGreaterThan(Number(first.control));
    expect(second.groups[0].control).not.toBe(first.groups[0].control);
    const segs = first.groups[0].sets[0].segments.map((s) => s.el.slice(1).join('*').replace(/\*+$/, '')).map((e, i) => `${first.groups[0].sets[0].segments[i].tag}*${e}`);
    expect(segs).toContain('W05*N*S00042'.replace('S00042', 'S60001') + '*PO-88213');
    expect(segs).toContain('W01*24*EA**VN*10001001');
    expect(segs).toContain('W01*2*CA**VN*10002040');
    expect(segs).toContain('W76*26');
    expect(first.groups[0].functionalId).toBe('OW');
  });

  it('turns a rejected 997 into a ValidationError and keeps the order unacknowledged', async () => {
    await adapter.sendOrder(Order.parse(anOrder({ orderId: 'S60003', lines: [{ lineId: '1', sku: 'HX-3300', quantity: 5, uom: 'Units' }] })));
    await control('process');
    const { events, rejected } = await adapter.receive();
    expect(events.filter((e) => e.type === eventTypes.orderAcknowledged)).toEqual([]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0].error).toBeInstanceOf(ValidationError);
    expect(rejected[0].error.message).toMatch(/rejected the 940 for S60003 \(AK5 R\/5\)/);
    expect(ledger.find('edi-3pl', '940', 'S60003')!.state).toBe('output_sent_and_error');
    expect((await adapter.fetchOrderStatus('S60003')).state).toBe('received');
    // Once the 3PL stocks the item, replaying the order sends a new 940 instead of calling it a duplicate.
    await control('stock', { sku: '10003300', delta: 50 });
    const again = await adapter.sendOrder(Order.parse(anOrder({ orderId: 'S60003', lines: [{ lineId: '1', sku: 'HX-3300', quantity: 5, uom: 'Units' }] })));
    expect(again.duplicate).toBe(false);
    await control('process');
    const acks = (await adapter.receive()).events.filter((e) => e.type === eventTypes.orderAcknowledged);
    expect(acks.map((e) => e.correlationId)).toEqual(['S60003']);
    expect(ledger.find('edi-3pl', '940', 'S60003')!.state).toBe('output_sent_and_processed');
  });

  it('answers every inbound group with its own 997', async () => {
    await adapter.sendOrder(contractOrder('S60004'));
    await control('process');
    await control('fulfil', { orderId: 'S60004' });
    await adapter.receive();
    const state = await control('process');
    // One 997 per imported 945/846/180 interchange; a 997 itself is never acknowledged.
    const imported = readdirSync(join(dir, 'mailbox/archive'));
    const acknowledgeable = imported.filter((n) => !n.startsWith('997_'));
    expect(imported.some((n) => n.startsWith('945_'))).toBe(true);
    expect(state.acksFromDepositor).toEqual({ accepted: acknowledgeable.length, rejected: 0 });
  });

  it('moves an interchange with a wrong SE01 count to the error folder without losing the next one', async () => {
    await adapter.sendOrder(contractOrder('S60005'));
    await control('process');
    await adapter.receive();
    await control('faults', { wrongSegmentCount: true });
    await control('fulfil', { orderId: 'S60005' });
    const { events, rejected } = await adapter.receive();
    expect(events.filter((e) => e.type === eventTypes.shipmentShipped)).toEqual([]);
    expect(rejected.map((r) => r.error.message).join()).toMatch(/SE01/);
    expect(readdirSync(join(dir, 'mailbox/error')).some((n) => n.startsWith('945_'))).toBe(true);
    await control('stock', { sku: '10001001', delta: 5 });
    expect((await adapter.receive()).rejected).toEqual([]);
  });

  it('refuses an interchange that reuses a control number for different content', async () => {
    await control('stock', { sku: '10001001', delta: 1 });
    await adapter.receive();
    await control('faults', { reuseControlNumber: true });
    await control('stock', { sku: '10001001', delta: 2 });
    const { rejected } = await adapter.receive();
    expect(rejected.map((r) => r.error.message)).toEqual([expect.stringMatching(/control number \d+ was already used/)]);
  });

  it('refuses a 945 for an order it never sent, as a sequence error for review', async () => {
    // Someone else's 940 reaches the 3PL (another system, a mis-keyed depositor order number).
    const foreign = interchange({ id: 'OTHERSYS', qualifier: 'ZZ' }, { id: 'EDI3PL', qualifier: 'ZZ' }, 1, 1, 'OW', [
      { id: '940', segments: [['W05', 'N', 'X-0001', 'PO-1'], ['LX', '1'], ['W01', '6', 'EA', '', 'VN', '10001001'], ['N9', 'LI', '1'], ['W76', '6']] },
    ]);
    writeFileSync(join(dir, 'mailbox/in', '940_foreign.x12'), foreign, 'latin1');
    await control('process');
    await control('fulfil', { orderId: 'X-0001' });
    const { events, rejected } = await adapter.receive();
    expect(events.filter((e) => e.correlationId === 'X-0001')).toEqual([]);
    const refused = rejected.filter((r) => r.error instanceof SequenceError);
    // The 3PL's 997 for that foreign 940 lands in our mailbox too: a 997 for a group we never sent.
    expect(refused.map((r) => r.error.message).sort()).toEqual([expect.stringMatching(/945 for X-0001, which we never sent/), expect.stringMatching(/997 for group 1, which we never sent/)]);
    expect(refused.find((r) => r.externalId.startsWith('945_'))!.rawPayload).toContain('X-0001');
  });

  it('lists a 940 whose 997 never came as an sla_breach once the SLA has passed', async () => {
    await control('faults', { loseAcknowledgements: true });
    await adapter.sendOrder(contractOrder('S60006'));
    await control('process');
    await adapter.receive();
    expect(adapter.overdueAcknowledgements()).toEqual([]);
    const overdue = adapter.overdueAcknowledgements(Date.now() + 61_000);
    expect(overdue.map((e) => [e.category, e.details.orderId])).toEqual([['sla_breach', 'S60006']]);
    // A 3PL that ships without ever sending the 997 is still overdue on its acknowledgement.
    await control('fulfil', { orderId: 'S60006' });
    await adapter.receive();
    expect(adapter.overdueAcknowledgements(Date.now() + 61_000).map((e) => e.details.orderId)).toEqual(['S60006']);
  });
});
