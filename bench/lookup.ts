/**
 * Correlation lookup latency: loads N spans (10 per trace, one correlation ID per trace) into the
 * embedded ClickHouse through the real tables and materialized views, then times the console's
 * read path, `getTransaction`, for distinct random correlation IDs (distinct, so the query
 * condition cache cannot flatter repeats).
 *
 *   npx tsx bench/lookup.ts [--spans 10000000] [--lookups 300] [--days 7]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { migrate, openClickHouse, readMigrationDir } from '../src/lib/server/clickhouse';
import { getTransaction } from '../src/lib/server/transactions/transaction';

const { values } = parseArgs({
  options: { spans: { type: 'string', default: '10000000' }, lookups: { type: 'string', default: '300' }, days: { type: 'string', default: '7' } },
});
const spans = Math.min(Number(values.spans), 50_000_000);
const traces = Math.floor(spans / 10);
const lookups = Math.min(Number(values.lookups), 10_000);
const days = Number(values.days);

const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-lookup-'));
const ch = await openClickHouse({ url: undefined, database: 'bench_lookup', username: 'default', password: '' }, dataDir);
await migrate(ch, await readMigrationDir(fileURLToPath(new URL('../migrations/', import.meta.url))));

// Generated inside ClickHouse: span n belongs to trace n / 10, spread evenly over `days` days
// ending now, with the attributes and resource the runtime writes.
const loadStarted = performance.now();
const chunk = 1_000_000;
for (let from = 0; from < spans; from += chunk) {
  await ch.client.command({
    query: `
      INSERT INTO otel_traces (Timestamp, TraceId, SpanId, ParentSpanId, TraceState, SpanName, SpanKind, ServiceName,
        ResourceAttributes, ScopeName, ScopeVersion, SpanAttributes, Duration, StatusCode, StatusMessage)
      SELECT
        now64(9) - toIntervalMillisecond(intDiv(n, 10) * {spreadMs:UInt64} / {traces:UInt64}) + toIntervalMicrosecond((n % 10) * 150) AS Timestamp,
        lower(hex(MD5(toString(intDiv(n, 10))))) AS TraceId,
        lower(substring(hex(SHA1(toString(n))), 1, 16)) AS SpanId,
        if(n % 10 = 0, '', lower(substring(hex(SHA1(toString(n - n % 10))), 1, 16))) AS ParentSpanId,
        '' AS TraceState,
        ['process crossdock.order.released', 'POST /v1/orders', 'transform order', 'execute_kw stock.picking'][1 + n % 4] AS SpanName,
        ['Consumer', 'Client', 'Internal', 'Client'][1 + n % 4] AS SpanKind,
        'crossdock-runtime' AS ServiceName,
        map('service.name', 'crossdock-runtime', 'host.name', 'bench') AS ResourceAttributes,
        'crossdock' AS ScopeName, '0.1.0' AS ScopeVersion,
        map('correlation.id', concat('S', leftPad(toString(intDiv(n, 10)), 8, '0')),
            'process.name', 'order_fulfillment',
            'warehouse.id', ['wms-rest', 'wms-batch', 'edi-3pl'][1 + intDiv(n, 10) % 3],
            'service.class', 'realtime',
            'process.milestone', if(n % 10 = 0, 'released', '')) AS SpanAttributes,
        2500000 AS Duration,
        if(n % 97 = 0, 'Error', 'Unset') AS StatusCode,
        '' AS StatusMessage
      FROM (SELECT number AS n FROM numbers({from:UInt64}, {count:UInt64}))`,
    query_params: { from, count: Math.min(chunk, spans - from), traces, spreadMs: days * 86_400_000 },
  });
}
const loadSeconds = (performance.now() - loadStarted) / 1000;

// No OPTIMIZE: lookups run against the parts as the load left them, as in a live system.

const ids = new Set<number>();
while (ids.size < lookups) ids.add(Math.floor(Math.random() * traces));
const timings: number[] = [];
let spansSeen = 0;
for (const id of ids) {
  const started = performance.now();
  const tx = await getTransaction(ch, `S${String(id).padStart(8, '0')}`);
  timings.push(performance.now() - started);
  if (!tx || tx.spans.length !== 10) throw new Error(`correlation ${id}: expected 10 spans, got ${tx?.spans.length}`);
  spansSeen += tx.spans.length;
}
timings.sort((a, b) => a - b);
const at = (q: number) => timings[Math.min(timings.length - 1, Math.floor(q * timings.length))];

console.log(`Correlation lookup (getTransaction), embedded ClickHouse, ${cpus().length} cores, Node ${process.version}`);
console.log(`  loaded ${spans.toLocaleString()} spans / ${traces.toLocaleString()} correlation IDs over ${days} days in ${loadSeconds.toFixed(0)} s (INSERT SELECT through the materialized views)`);
console.log(`  ${lookups} distinct lookups, each returning all 10 spans (${spansSeen.toLocaleString()} in all):`);
console.log(`  p50 ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms, max ${timings[timings.length - 1].toFixed(1)} ms`);

await ch.close();
rmSync(dataDir, { recursive: true, force: true });
