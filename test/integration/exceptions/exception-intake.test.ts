import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineClassifier } from '../../../src/lib/ai';
import { clickHouseSpanSink } from '../../../src/lib/collectors/clickhouse-span-sink';
import { ExceptionStore, IncidentQueue, startExceptionIntake, withSlaImpact } from '../../../src/lib/exceptions';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CircuitIntake } from '../../../src/lib/exceptions/intake/circuit-intake';
import { SlaIntake } from '../../../src/lib/exceptions/intake/sla-intake';
import { SpanIntake } from '../../../src/lib/exceptions/intake/span-intake';
import { refreshFacts } from '../../../src/lib/processes/facts-refresher';
import { defaultSlas } from '../../../src/lib/processes/slas';
import { migrate, readMigrationDir, type ClickHouse } from '../../../src/lib/server/clickhouse';
import { openConsoleDb } from '../../../src/lib/server/console-db';
import { RuntimeAdminClient } from '../../../src/lib/server/runtime-admin';
import { aSpanRow } from '../../factories/spans';
import { freshClickHouse } from '../../support/clickhouse';

// The exception intake over the real embedded ClickHouse: failed spans in, incidents out.
let ch: ClickHouse;
const db = openConsoleDb(join(mkdtempSync(join(tmpdir(), 'crossdock-intake-')), 'console.db'));
const store = new ExceptionStore(db);
const queue = new IncidentQueue(db);

beforeAll(async () => {
  ch = await freshClickHouse('intake');
  await migrate(ch, await readMigrationDir(fileURLToPath(new URL('../../../migrations/', import.meta.url))));
});
afterAll(async () => ch?.close());

type Row = ReturnType<typeof aSpanRow>;
/** A failed span with its exception event, as `recordFailure` writes it. */
function failed(options: Parameters<typeof aSpanRow>[0] & { message: string; status?: number; parent?: Row; kind?: string }): Row {
  const row = aSpanRow({ ...options, error: true, traceId: options.parent?.TraceId ?? options.traceId });
  if (options.status) row.SpanAttributes['http.response.status_code'] = String(options.status);
  return {
    ...row,
    ParentSpanId: options.parent?.SpanId ?? '',
    SpanKind: options.kind ?? row.SpanKind,
    'Events.Timestamp': [row.Timestamp],
    'Events.Name': ['exception'],
    'Events.Attributes': [{ 'exception.type': 'PartnerUnavailableError', 'exception.message': options.message }],
  };
}

const write = (rows: Row[]) => clickHouseSpanSink(ch.client).write(rows);

describe('exceptions from failed spans', () => {
  it('raises the innermost failure once per transaction and operation, counting retries, and groups an outage into one incident', async () => {
    const intake = new SpanIntake(ch, store, 0);
    const now = new Date();
    const rows: Row[] = [];
    for (const order of ['S02001', 'S02002', 'S02003']) {
      for (let attempt = 1; attempt <= 2; attempt++) {
        const consumer = failed({ correlationId: order, name: 'process orders.released', at: now, kind: 'Consumer', outcome: 'retry', category: 'partner_unavailable', message: `POST /v1/orders answered 503 for ${order}` });
        const call = failed({ correlationId: order, name: 'POST /v1/orders', at: now, parent: consumer, endpoint: 'wms-rest', warehouse: 'wms-rest', category: 'partner_unavailable', status: 503, message: `POST /v1/orders answered 503 for ${order} (request ${attempt}${order})` });
        rows.push(call, consumer);
      }
    }
    // Another problem on the same partner: a separate incident.
    rows.push(failed({ correlationId: 'S02004', name: 'POST /v1/orders', at: now, endpoint: 'wms-rest', category: 'validation_error', status: 422, message: 'POST /v1/orders answered 422: lines[0].quantity must be positive' }));
    // Dead-lettered deliveries and quarantined messages are the dead-letter intake's.
    rows.push(failed({ correlationId: 'S02005', name: 'process orders.released', at: now, outcome: 'dead_letter', category: 'master_data_mismatch', message: 'unknown SKU ZZ-1' }));
    rows.push(failed({ correlationId: 'wms-rest:evt-9', name: 'quarantine wms-rest', at: now, category: 'validation_error', message: 'malformed webhook' }));
    await write(rows);

    const pass = await intake.pass();
    expect(pass.read).toBe(rows.length);
    expect(pass.newIncidents).toHaveLength(2);
    const { items } = queue.list({});
    const outage = items.find((i) => i.category === 'partner_unavailable')!;
    expect(outage).toMatchObject({ partner: 'wms-rest', operation: 'POST /v1/orders', members: 3, openMembers: 3, ordersAffected: 3 });
    expect(queue.members(outage.id).map((m) => [m.correlationId, m.attempts, m.httpStatus, m.source]).sort()).toEqual([
      ['S02001', 2, 503, 'partner_call'],
      ['S02002', 2, 503, 'partner_call'],
      ['S02003', 2, 503, 'partner_call'],
    ]);
    expect(items.find((i) => i.category === 'validation_error')).toMatchObject({ members: 1, sampleError: 'POST /v1/orders answered 422: lines[0].quantity must be positive' });
    expect(items.some((i) => i.operation.startsWith('quarantine') || i.category === 'master_data_mismatch')).toBe(false);

    // The cursor moved past them: nothing is raised twice.
    expect((await intake.pass()).read).toBe(0);
    expect(queue.get(outage.id)!.members).toBe(3);
  });

  it('counts the failed rounds of a poll that concerns no transaction as attempts of one exception', async () => {
    const poll = () => failed({ correlationId: '', name: 'GET /v1/orders', at: new Date(), endpoint: 'wms-poll', status: 503, category: 'partner_unavailable', message: 'GET /v1/orders answered 503' });
    await write([poll(), poll(), poll()]);
    await new SpanIntake(ch, store, 0).pass();
    const incident = queue.list({ partner: 'wms-poll' }).items[0];
    expect(incident).toMatchObject({ members: 1, ordersAffected: 0 });
    expect(queue.members(incident.id)[0]).toMatchObject({ attempts: 3, correlationId: null });
  });

  it('classifies each new incident once, in the background pass', async () => {
    const intake = startExceptionIntake({
      clickhouse: ch,
      runtime: new RuntimeAdminClient({ host: '127.0.0.1', adminPort: 1, adminToken: undefined } as never),
      store,
      queue,
      classifier: createOfflineClassifier(),
      intervalMs: 0,
    });
    await intake.runOnce();
    await intake.stop();
    const outage = queue.list({ category: 'partner_unavailable' }).items[0];
    expect(outage.classification).toMatchObject({ category: 'partner_unavailable', action: 'replay', engine: 'offline' });
    expect(outage.classification!.confidence).toBeGreaterThan(0.5);
    expect(queue.list({ category: 'validation_error' }).items[0].classification).toMatchObject({ category: 'validation_error' });
  });
});

describe('exceptions from open circuits', () => {
  it('raises a circuit that opened once per partner, and closes it when the runtime reports it closed', async () => {
    const opened = failed({ correlationId: '', name: 'circuit edi-3pl', at: new Date(), endpoint: 'edi-3pl', message: 'circuit to edi-3pl opened' });
    opened['Events.Name'] = [];
    opened['Events.Attributes'] = [];
    opened['Events.Timestamp'] = [];
    opened.StatusMessage = 'circuit to edi-3pl opened';
    await write([opened, { ...opened, SpanId: 'ab'.repeat(8) }]);
    await new SpanIntake(ch, store, 0).pass();
    const incident = queue.list({ partner: 'edi-3pl' }).items[0];
    expect(incident).toMatchObject({ category: 'partner_unavailable', operation: 'circuit breaker', members: 1, sampleError: 'circuit to edi-3pl opened' });
    expect(queue.members(incident.id)[0]).toMatchObject({ source: 'circuit', attempts: 2 });

    // The runtime admin API's health, as the runtime answers it.
    let circuit = 'open';
    const admin = createServer((req, res) => {
      res.writeHead(req.url === '/admin/v1/health' && req.headers.authorization === 'Bearer t0123456789abcdef' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', endpoints: [{ id: 'edi-3pl', paused: false, circuit }, { id: 'wms-rest', paused: false, circuit: 'closed' }] }));
    });
    await new Promise<void>((r) => admin.listen(0, '127.0.0.1', r));
    try {
      const client = new RuntimeAdminClient({ host: '127.0.0.1', adminPort: (admin.address() as AddressInfo).port, adminToken: 't0123456789abcdef' } as never);
      const circuits = new CircuitIntake(client, store);
      await circuits.pass();
      expect(queue.get(incident.id)).toMatchObject({ openMembers: 1, status: 'open' });
      circuit = 'half_open';
      await circuits.pass();
      expect(queue.get(incident.id)).toMatchObject({ openMembers: 0, status: 'resolved' });
      expect(queue.members(incident.id)[0].closedReason).toBe('circuit half_open');
    } finally {
      await new Promise((r) => admin.close(r));
    }
  });
});

describe('exceptions from SLA breaches', () => {
  it('raises a stuck order when it breaches and closes it when the late milestone arrives', async () => {
    const T0 = new Date(Date.now() - 60 * 60_000);
    const order = { process: 'order_fulfillment', serviceClass: 'realtime', warehouse: 'edi-3pl' } as const;
    await write([aSpanRow({ ...order, correlationId: 'S03001', milestone: 'released', at: T0 })]);
    await refreshFacts(ch, defaultSlas);
    const sla = new SlaIntake(ch, store);

    // Release → acknowledged is 2 minutes for real-time orders: one minute in, nothing to raise.
    expect((await sla.pass(new Date(T0.getTime() + 60_000))).read).toBe(0);
    const raised = await sla.pass(new Date(T0.getTime() + 10 * 60_000));
    expect(raised.read).toBe(1);
    const incident = queue.get(raised.newIncidents[0])!;
    expect(incident).toMatchObject({ category: 'sla_breach', partner: 'edi-3pl', members: 1, status: 'open' });
    expect(incident.sampleError).toMatch(/order_fulfillment step released→acknowledged breached its SLA: still at released 8 min past the target/);
    // Its impact, as the queue shows it: one transaction with its SLA breached.
    expect((await withSlaImpact(ch, queue, [incident], new Date(T0.getTime() + 10 * 60_000)))[0]).toMatchObject({ ordersAffected: 1, slaAtRisk: 1, slaAtRiskIsLowerBound: false });

    await write([aSpanRow({ ...order, correlationId: 'S03001', milestone: 'acknowledged', at: new Date(T0.getTime() + 11 * 60_000) })]);
    await refreshFacts(ch, defaultSlas);
    const after = await sla.pass(new Date(T0.getTime() + 12 * 60_000));
    expect(after.closed).toBe(1);
    expect(queue.get(incident.id)).toMatchObject({ openMembers: 0, status: 'resolved', resolvedBy: 'system' });
    expect(queue.members(incident.id)[0].closedReason).toMatch(/transaction/);
  });
});
