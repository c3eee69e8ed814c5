/**
 * OTLP protobuf -> collector -> ClickHouse (embedded chDB), sustained, against the raw ClickHouse
 * insert rate of the same rows measured in the same run.
 *
 *   npx tsx bench/ingest.ts [--spans 1000000] [--per-request 2000] [--in-flight 4] [--batch 20000] [--buffer 200000]
 *
 * The collector runs in this process with chDB, as in the console; the load comes from a child
 * process posting pre-encoded requests and backing off on 429/503. The raw insert runs first in
 * its own child process. Prints spans/s, the ratio to the raw insert, peak RSS, throttled
 * requests and lost spans.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startCollector } from '../src/lib/collectors';
import { defaultSpanBufferOptions } from '../src/lib/collectors/span-buffer';
import { migrate, openClickHouse, readMigrationDir } from '../src/lib/server/clickhouse';

const { values } = parseArgs({
  options: {
    spans: { type: 'string', default: '1000000' },
    'per-request': { type: 'string', default: '2000' },
    'in-flight': { type: 'string', default: '4' },
    batch: { type: 'string', default: String(defaultSpanBufferOptions.batchSize) },
    buffer: { type: 'string', default: String(defaultSpanBufferOptions.maxSpans) },
  },
});
const totalSpans = Math.min(Number(values.spans), 5_000_000);
const perRequest = Number(values['per-request']);
const inFlight = Number(values['in-flight']);
const buffer = { batchSize: Number(values.batch), maxSpans: Number(values.buffer) };

async function child(script: string, args: (string | number)[]): Promise<Record<string, number>> {
  const process_ = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args.map(String)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  process_.stdout.on('data', (d) => (output += d));
  const code = await new Promise((resolve) => process_.on('close', resolve));
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  return JSON.parse(output);
}

const raw = await child('./support/raw-insert.ts', [Math.min(totalSpans, 500_000), buffer.batchSize, perRequest]);

const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-ingest-'));
const ch = await openClickHouse({ url: undefined, database: 'bench_collector', username: 'default', password: '' }, dataDir);
await migrate(ch, await readMigrationDir(fileURLToPath(new URL('../migrations/', import.meta.url))));
const collector = await startCollector({ host: '127.0.0.1', port: 0, maxBodyBytes: 64 * 1024 * 1024, buffer }, { client: ch.client });

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const started = performance.now();
const sent = await child('./support/ingest-sender.ts', [collector.url, totalSpans, perRequest, inFlight]);
while (collector.stats().written < sent.sent) await new Promise((r) => setTimeout(r, 20));
const seconds = (performance.now() - started) / 1000;
await collector.stop();
clearInterval(sampler);
const stats = collector.stats();

const count = await ch.client.query({ query: 'SELECT count() AS n FROM otel_traces', format: 'JSONEachRow' });
const [{ n: stored }] = await count.json<{ n: string }>();
const rate = sent.sent / seconds;

console.log(`OTLP protobuf ingest, embedded ClickHouse, ${cpus().length} cores, Node ${process.version}`);
console.log(`  raw insert (same rows, JSONCompactEachRow, batches of ${buffer.batchSize}): ${Math.round(raw.rowsPerSecond).toLocaleString()} rows/s, peak RSS ${Math.round(raw.peakRssMiB)} MiB`);
console.log(`  collector end to end (${sent.sent.toLocaleString()} spans, ${perRequest}/request, ${inFlight} in flight, buffer ${buffer.maxSpans.toLocaleString()}): ${Math.round(rate).toLocaleString()} spans/s in ${seconds.toFixed(1)} s`);
console.log(`  ratio to raw insert: ${((rate / raw.rowsPerSecond) * 100).toFixed(0)}%`);
console.log(`  stored rows: ${Number(stored).toLocaleString()}, lost: ${stats.lost}, throttled requests (429/503): ${sent.throttled}, insert batches: ${stats.batches}`);
console.log(`  collector process peak RSS: ${(peakRss / 2 ** 20).toFixed(0)} MiB`);

await ch.close();
rmSync(dataDir, { recursive: true, force: true });
