import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteBus } from '../../../src/lib/integration/bus';
import { InboundDeduplicator, Ingress, MessageLedger, checksumOf } from '../../../src/lib/integration/delivery';
import { SequenceError } from '../../../src/lib/integration/errors';
import { openRuntimeDb } from '../../../src/lib/integration/store/runtime-db';
import { anEnvelope } from '../../factories/envelopes';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function dbPath() {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-idem-'));
  dirs.push(dir);
  return join(dir, 'runtime.db');
}

describe('inbound idempotency', () => {
  it('refuses a key seen within the window, also after a restart, and accepts it again after the window', () => {
    const path = dbPath();
    const first = openRuntimeDb(path);
    expect(new InboundDeduplicator(first, 60_000).claim('wms-rest', 'webhook-1', 'm1', 1_000)).toEqual({ status: 'new' });
    first.close();
    const restarted = new InboundDeduplicator(openRuntimeDb(path), 60_000);
    expect(restarted.claim('wms-rest', 'webhook-1', 'm2', 30_000)).toEqual({ status: 'duplicate', firstSeenAt: 1_000, messageId: 'm1' });
    expect(restarted.claim('edi-3pl', 'webhook-1', 'm3', 30_000)).toEqual({ status: 'new' });
    expect(restarted.claim('wms-rest', 'webhook-1', 'm4', 62_000)).toEqual({ status: 'new' });
  });

  it('gives a key back when enqueueing failed, so the sender can retry', () => {
    const dedup = new InboundDeduplicator(openRuntimeDb(dbPath()), 60_000);
    dedup.claim('wms-rest', 'k', 'm1');
    dedup.release('wms-rest', 'k', 'm1');
    expect(dedup.claim('wms-rest', 'k', 'm2').status).toBe('new');
  });
});

describe('message ledger', () => {
  it('keeps one entry per partner, type and external id, and tells a repeat from a conflicting payload', () => {
    const ledger = new MessageLedger(openRuntimeDb(dbPath()));
    const first = ledger.record({ direction: 'in', partner: 'edi-3pl', messageType: '945', externalId: '000000123', rawPayload: 'ISA*00*...' });
    expect(first).toMatchObject({ duplicate: false, entry: { state: 'input_received', checksum: checksumOf('ISA*00*...') } });
    expect(ledger.record({ direction: 'in', partner: 'edi-3pl', messageType: '945', externalId: '000000123', rawPayload: 'ISA*00*...' }))
      .toMatchObject({ duplicate: true, samePayload: true, entry: { id: first.entry.id } });
    expect(ledger.record({ direction: 'in', partner: 'edi-3pl', messageType: '945', externalId: '000000123', rawPayload: 'ISA*01*...' }))
      .toMatchObject({ duplicate: true, samePayload: false });
    expect(ledger.record({ direction: 'in', partner: 'wms-rest', messageType: '945', externalId: '000000123', rawPayload: 'x' }).duplicate).toBe(false);
  });

  it('follows the exchange-record state machine and links acknowledgements', () => {
    const ledger = new MessageLedger(openRuntimeDb(dbPath()));
    const order = ledger.record({ direction: 'out', partner: 'edi-3pl', messageType: '940', externalId: '1001', rawPayload: '940', correlationId: 'S00042' }).entry;
    expect(() => ledger.transition(order.id, 'output_sent_and_processed')).toThrow(SequenceError);
    ledger.transition(order.id, 'output_sent');
    const ack = ledger.record({ direction: 'in', partner: 'edi-3pl', messageType: '997', externalId: '5001', rawPayload: '997', correlationId: 'S00042', parentId: order.id }).entry;
    ledger.linkAck(order.id, ack.id);
    expect(ledger.transition(order.id, 'output_sent_and_processed')).toMatchObject({ ackId: ack.id, state: 'output_sent_and_processed' });
    expect(ledger.byCorrelation('S00042').map((e) => e.messageType)).toEqual(['940', '997']);
  });
});

describe('ingress', () => {
  it('enqueues a webhook once however often the partner re-sends it', async () => {
    const db = openRuntimeDb(dbPath());
    const bus = new SqliteBus({ db });
    const ingress = new Ingress(bus, new InboundDeduplicator(db, 3_600_000), new MessageLedger(db));
    const raw = { partner: 'wms-rest', messageType: 'shipment.shipped', externalId: 'wh-evt-9', rawPayload: '{"id":"wh-evt-9"}' };
    const envelope = anEnvelope({ source: 'wms-rest', idempotencykey: 'wh-evt-9' });
    expect((await ingress.accept('shipment-confirm', envelope, raw)).status).toBe('enqueued');
    // The partner retries with a new delivery id but the same webhook id.
    expect((await ingress.accept('shipment-confirm', anEnvelope({ source: 'wms-rest', idempotencykey: 'wh-evt-9' }), raw)).status).toBe('duplicate');
    expect((await bus.stats()).find((s) => s.serviceClass === 'standard')?.depth).toBe(1);
    await bus.close();
  });
});
