// Durable publish→consume→ack throughput and latency for the SQLite bus, the JetStream bus and
// BullMQ on local Redis (the peer baseline), same message size and concurrency; then realtime
// p99 latency while a batch flood saturates the SQLite bus. Bounded: N messages per system.
//   npx tsx bench/bus.ts [--messages 20000] [--concurrency 32]
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { JetStreamBus, SqliteBus, type MessageBus } from '../src/lib/integration/bus';
import type { EventEnvelope } from '../src/lib/integration/canonical';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '20000' }, concurrency: { type: 'string', default: '32' } } });
const total = Number(values.messages);
const concurrency = Number(values.concurrency);
const payload = 'x'.repeat(512);
let seq = 0;
const envelope = (serviceclass: EventEnvelope['serviceclass'] = 'standard'): EventEnvelope => ({
  specversion: '1.0', id: `bench-${process.pid}-${seq++}`, source: 'bench', type: 'crossdock.order.released.v1',
  time: new Date().toISOString(), datacontenttype: 'application/json', correlationid: 'S00042',
  idempotencykey: `k${seq}`, serviceclass, data: { payload, sentAt: 0 },
});
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Publishes `total` while consumers ack; latency = publish start → ack done. */
async function runBus(bus: MessageBus): Promise<{ rate: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  const sub = bus.subscribe('standard', { maxInFlight: concurrency });
  const done = (async () => {
    for await (const d of sub) {
      void d.ack().then(() => {
        latencies.push(performance.now() - (d.envelope.data as { sentAt: number }).sentAt);
      });
      if (latencies.length + 1 >= total) break;
    }
  })();
  const start = performance.now();
  const inflight: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    const e = envelope();
    (e.data as { sentAt: number }).sentAt = performance.now();
    inflight.push(bus.publish('bench', e));
    if (inflight.length >= concurrency) await Promise.all(inflight.splice(0));
  }
  await Promise.all(inflight);
  while (latencies.length < total) await new Promise((r) => setTimeout(r, 5));
  const seconds = (performance.now() - start) / 1000;
  await sub.stop();
  await done.catch(() => undefined);
  latencies.sort((a, b) => a - b);
  return { rate: total / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

async function runBullmq(): Promise<{ rate: number; p50: number; p99: number }> {
  const connection = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null });
  const name = `bench-${process.pid}`;
  const queue = new Queue(name, { connection });
  const latencies: number[] = [];
  const worker = new Worker(name, async (job) => void latencies.push(performance.now() - job.data.sentAt), { connection: connection.duplicate(), concurrency });
  worker.on('completed', () => undefined);
  const start = performance.now();
  const inflight: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    inflight.push(queue.add('m', { payload, sentAt: performance.now() }, { removeOnComplete: true, jobId: `j${i}` }));
    if (inflight.length >= concurrency) await Promise.all(inflight.splice(0));
  }
  await Promise.all(inflight);
  while (latencies.length < total) await new Promise((r) => setTimeout(r, 5));
  const seconds = (performance.now() - start) / 1000;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
  latencies.sort((a, b) => a - b);
  return { rate: total / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

/** Realtime latency (publish → handled) while batch messages flood the same SQLite bus. */
async function realtimeUnderBatchLoad(bus: MessageBus): Promise<{ p50: number; p99: number; batchDone: number }> {
  let batchDone = 0;
  const latencies: number[] = [];
  const batch = bus.subscribe('batch', { maxInFlight: 4 });
  const realtime = bus.subscribe('realtime', { maxInFlight: 16 });
  const loops = [
    (async () => { for await (const d of batch) { await new Promise((r) => setTimeout(r, 2)); await d.ack(); batchDone++; } })(),
    (async () => { for await (const d of realtime) { await d.ack(); latencies.push(performance.now() - (d.envelope.data as { sentAt: number }).sentAt); } })(),
  ];
  for (let i = 0; i < 20_000; i++) await bus.publish('flood', envelope('batch'));
  for (let i = 0; i < 500; i++) {
    const e = envelope('realtime');
    (e.data as { sentAt: number }).sentAt = performance.now();
    await bus.publish('order-release', e);
    await new Promise((r) => setTimeout(r, 4));
  }
  while (latencies.length < 500) await new Promise((r) => setTimeout(r, 5));
  await batch.stop();
  await realtime.stop();
  await Promise.all(loops);
  latencies.sort((a, b) => a - b);
  return { p50: pct(latencies, 50), p99: pct(latencies, 99), batchDone };
}

const fmt = (r: { rate: number; p50: number; p99: number }) =>
  `${Math.round(r.rate).toLocaleString('en-US').padStart(8)} msg/s   p50 ${r.p50.toFixed(1).padStart(7)} ms   p99 ${r.p99.toFixed(1).padStart(7)} ms`;

console.log(`bus benchmark: ${total} messages of ${payload.length}-byte payload, concurrency ${concurrency}, node ${process.version}`);
const dir = mkdtempSync(join(tmpdir(), 'crossdock-bench-'));
try {
  const sqlite = new SqliteBus({ db: join(dir, 'runtime.db') });
  console.log(`sqlite      ${fmt(await runBus(sqlite))}`);
  const rt = await realtimeUnderBatchLoad(sqlite);
  console.log(`sqlite realtime under a 20,000-message batch flood: p50 ${rt.p50.toFixed(1)} ms, p99 ${rt.p99.toFixed(1)} ms (batch handled meanwhile: ${rt.batchDone})`);
  await sqlite.close();
  const js = await JetStreamBus.connect({ url: 'nats://127.0.0.1:4222', stream: `BENCH_${process.pid}`, subjectPrefix: `bench${process.pid}` });
  try {
    console.log(`jetstream   ${fmt(await runBus(js))}`);
  } finally {
    await js.destroy();
    await js.close();
  }
  console.log(`bullmq      ${fmt(await runBullmq())}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
