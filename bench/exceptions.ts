// The exception queue under an outage: failed spans (each order retried, each retry a consumer
// span around a failed HTTP call) through the span intake into incidents; the triage queue read
// while it is full; then one approved bulk replay of an outage's dead letters through a real
// runtime admin API. Bounded by the counts given.
//   npx tsx bench/exceptions.ts [--orders 20000] [--retries 5] [--dead-letters 500] [--requests 50]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createOfflineClassifier } from '../src/lib/ai';
import type { SpanRow } from '../src/lib/collectors';
import { clickHouseSpanSink } from '../src/lib/collectors/clickhouse-span-sink';
import { ExceptionStore, IncidentQueue } from '../src/lib/exceptions';
import { classifierInputOf } from '../src/lib/exceptions/examples';
import { DeadLetterIntake } from '../src/lib/exceptions/intake/dead-letter-intake';
import { SpanIntake } from '../src/lib/exceptions/intake/span-intake';
import { defaultServiceClasses } from '../src/lib/integration/delivery';
import { PartnerUnavailableError } from '../src/lib/integration/errors';
import { startRuntime } from '../src/lib/integration/runtime';
import { execute, ProposalBook } from '../src/lib/remediation';
import { migrate, openClickHouse, readMigrationDir } from '../src/lib/server/clickhouse';
import { openConsoleDb } from '../src/lib/server/console-db';
import { RuntimeAdminClient } from '../src/lib/server/runtime-admin';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '20000' },
    retries: { type: 'string', default: '5' },
    'dead-letters': { type: 'string', default: '500' },
    requests: { type: 'string', default: '50' },
  },
});
const orders = Number(values.orders);
const retries = Number(values.retries);
const deadLetters = Number(values['dead-letters']);
const requests = Number(values.requests);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (n: number) => `${n.toFixed(1)} ms`;

const dir = mkdtempSync(join(tmpdir(), 'crossdock-bench-exceptions-'));
const ch = await openClickHouse({ url: undefined, database: 'bench', username: 'default', password: '' }, join(dir, 'clickhouse'));
await migrate(ch, await readMigrationDir(fileURLToPath(new URL('../migrations/', import.meta.url))));
const db = openConsoleDb(join(dir, 'console.db'));
const store = new ExceptionStore(db);
const queue = new IncidentQueue(db);

// An outage of the REST WMS (every order, 503) plus a tail of validation errors on another operation (one order in ten).
function failedPair(order: string, attempt: number, now: bigint): SpanRow[] {
  const traceId = randomBytes(16).toString('hex');
  const parent = randomBytes(8).toString('hex');
  const kind = Number(order.slice(1)) % 10 === 0 ? Number(order.slice(1)) % 21 : 0;
  const message = kind === 0 ? `POST /v1/orders answered 503 for ${order} (attempt ${attempt})` : `PUT /v1/items/SKU-${kind} answered 422: field ${kind} invalid for ${order}`;
  const base = (spanId: string, parentId: string, name: string, attrs: Record<string, string>): SpanRow => ({
    Timestamp: now.toString(), TraceId: traceId, SpanId: spanId, ParentSpanId: parentId, TraceState: '', SpanName: name, SpanKind: 'Internal',
    ServiceName: 'crossdock-runtime', ResourceAttributes: { 'service.name': 'crossdock-runtime' }, ScopeName: 'crossdock', ScopeVersion: '0.1.0',
    SpanAttributes: { 'correlation.id': order, 'crossdock.exception.category': kind === 0 ? 'partner_unavailable' : 'validation_error', ...attrs },
    Duration: '1000000', StatusCode: 'Error', StatusMessage: message,
    'Events.Timestamp': [now.toString()], 'Events.Name': ['exception'], 'Events.Attributes': [{ 'exception.message': message }],
    'Links.TraceId': [], 'Links.SpanId': [], 'Links.TraceState': [], 'Links.Attributes': [],
  });
  return [
    base(parent, '', 'process orders.released', { 'crossdock.outcome': 'retry' }),
    base(randomBytes(8).toString('hex'), parent, kind === 0 ? 'POST /v1/orders' : 'PUT /v1/items', { 'crossdock.endpoint.id': 'wms-rest', 'http.response.status_code': kind === 0 ? '503' : '422' }),
  ];
}

console.log(`exception queue benchmark: ${orders} orders × ${retries} failed attempts (${orders * retries * 2} failed spans), ${cpus().length} cores, Node ${process.version}`);
const sink = clickHouseSpanSink(ch.client);
const loadStart = performance.now();
for (let a = 1; a <= retries; a++) {
  const rows: SpanRow[] = [];
  const now = BigInt(Date.now()) * 1_000_000n;
  for (let i = 0; i < orders; i++) rows.push(...failedPair(`S${String(i).padStart(6, '0')}`, a, now));
  await sink.write(rows);
}
console.log(`loaded through the materialized view in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);

const intake = new SpanIntake(ch, store, 0);
const intakeStart = performance.now();
let read = 0;
for (;;) {
  const pass = await intake.pass();
  read += pass.read;
  if (pass.read === 0) break;
}
const intakeSeconds = (performance.now() - intakeStart) / 1000;
const { total: incidents, items } = queue.list({ status: 'all', limit: 500 });
const exceptions = items.reduce((n, i) => n + i.members, 0);
console.log(`span intake: ${read} spans in ${intakeSeconds.toFixed(1)} s = ${Math.round(read / intakeSeconds)} spans/s → ${exceptions} exceptions in ${incidents} incidents (largest ${Math.max(...items.map((i) => i.members))} members)`);

const classifier = createOfflineClassifier();
const classifyStart = performance.now();
for (const incident of queue.unclassified(500)) {
  const c = await classifier.classify(classifierInputOf(incident, queue.members(incident.id, { limit: 1 })[0]));
  queue.setClassification(incident.id, c);
}
console.log(`classified ${incidents} incidents in ${ms(performance.now() - classifyStart)}`);

const timings: number[] = [];
for (let i = 0; i < requests; i++) {
  const t = performance.now();
  queue.list(i % 2 ? { q: 'S0001' } : {});
  timings.push(performance.now() - t);
}
timings.sort((a, b) => a - b);
console.log(`triage queue page (50 incidents, with transactions affected; every other one searching): p50 ${ms(pct(timings, 50))}, p95 ${ms(pct(timings, 95))}`);
await ch.close();

// A bulk replay: an outage's dead letters, one proposal, one approval, every replay through the admin API.
const token = 'bench-admin-token-0123456789';
let down = true;
let handled = 0;
const runtime = await startRuntime({
  config: { host: '127.0.0.1', adminPort: 0, natsUrl: undefined, adminToken: token, idempotencyWindowMs: 60_000 },
  dataDir: join(dir, 'runtime'),
  routes: [{ topic: 'orders.released', handle: async () => { if (down) throw new PartnerUnavailableError('POST /v1/orders answered 503'); handled++; } }],
  endpoints: {},
  classes: { ...defaultServiceClasses, realtime: { ...defaultServiceClasses.realtime, retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10 } } },
  graceMs: 500,
});
for (let i = 0; i < deadLetters; i++)
  await runtime.bus.publish('orders.released', { specversion: '1.0', id: `dl-${i}`, source: 'bench', type: 'crossdock.order.released.v1', time: new Date().toISOString(), datacontenttype: 'application/json', correlationid: `R${i}`, idempotencykey: `dl-${i}`, serviceclass: 'realtime', data: {} });
while (runtime.deadLetters.list({ limit: 500 }).length < Math.min(deadLetters, 500) || runtime.deadLetters.list({ status: 'open', limit: 500 }).length < Math.min(deadLetters, 500)) await new Promise((r) => setTimeout(r, 50));
const client = new RuntimeAdminClient({ host: '127.0.0.1', adminPort: Number(new URL(runtime.admin.url).port), adminToken: token } as never);
const dlIntake = new DeadLetterIntake(client, store);
let mirrored = 0;
const dlStart = performance.now();
for (;;) {
  const pass = await dlIntake.pass();
  if (pass.read === 0 || (mirrored += pass.read) >= deadLetters) break;
}
console.log(`dead-letter intake: ${deadLetters} dead letters mirrored in ${ms(performance.now() - dlStart)}`);
const outage = queue.list({ partner: 'orders.released' }).items[0];
down = false;
const book = new ProposalBook(db, queue, 3_600_000);
const proposal = book.propose({ incidentId: outage.id, action: 'replay' }, 'support');
const approved = book.approve(proposal.id, 'approver');
const runStart = performance.now();
const done = await execute(approved, client, book, 'approver');
const runMs = performance.now() - runStart;
while (handled < proposal.targets.length) await new Promise((r) => setTimeout(r, 20));
const allMs = performance.now() - runStart;
console.log(`bulk replay: ${proposal.targets.length} targets ${done.status} in ${ms(runMs)} (${Math.round(proposal.targets.length / (runMs / 1000))} replays/s through the admin API); all handled by the runtime after ${ms(allMs)}`);
await runtime.stop();
db.close();
rmSync(dir, { recursive: true, force: true });
