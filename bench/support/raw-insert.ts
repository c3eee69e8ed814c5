/**
 * The raw ClickHouse insert rate for bench/ingest.ts, in its own process and data directory so
 * its memory does not count against the collector's: the same rows the collector would write,
 * inserted directly with the same client, format and batch size (after one warm-up batch).
 * Usage: tsx raw-insert.ts <rows> <batch> <spansPerRequest>
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SPAN_COLUMNS } from '../../src/lib/collectors/clickhouse-span-sink';
import { decodeProtobufSpans } from '../../src/lib/collectors/otlp/protobuf-spans';
import type { SpanRow } from '../../src/lib/collectors/otlp/span-rows';
import { migrate, openClickHouse, readMigrationDir } from '../../src/lib/server/clickhouse';
import { encodeRequests } from './otlp-requests';

const [total, batchSize, perRequest] = process.argv.slice(2).map(Number);
const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-raw-'));
const ch = await openClickHouse({ url: undefined, database: 'bench_raw', username: 'default', password: '' }, dataDir);
await migrate(ch, await readMigrationDir(fileURLToPath(new URL('../../migrations/', import.meta.url))));
const rows: SpanRow[] = encodeRequests(50, perRequest).flatMap((body) => decodeProtobufSpans(body).rows);
const insert = (from: number) =>
  ch.client.insert({
    table: 'otel_traces',
    values: Array.from({ length: Math.min(batchSize, total - from) }, (_, i) => SPAN_COLUMNS.map((c) => rows[(from + i) % rows.length][c])),
    format: 'JSONCompactEachRow',
    columns: [...SPAN_COLUMNS],
  });
await insert(0);
const started = performance.now();
for (let done = 0; done < total; done += batchSize) await insert(done);
console.log(JSON.stringify({ rowsPerSecond: total / ((performance.now() - started) / 1000), peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
await ch.close();
rmSync(dataDir, { recursive: true, force: true });
