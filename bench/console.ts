/**
 * Console server time at scale: loads N transactions (10 spans each: milestones plus partner
 * calls, spread over 30 days, with stuck, late and in-flight ones) into an embedded ClickHouse
 * through the real tables and views, starts the built console on it, signs in, and times the
 * overview, the stuck list, a transaction page and a 30-day SLA report over HTTP.
 *
 *   npm run build && npx tsx bench/console.ts [--transactions 1000000] [--requests 20] [--data-dir DIR]
 *
 * With --data-dir the data is loaded into DIR once and kept: later runs with the same DIR skip
 * the load (minutes at 1M) and reuse it. The spans' times are relative to the load, so reused
 * data has aged by the time since; use a fresh load for figures you publish.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { addUser } from '../src/lib/server/auth';
import { migrate, openClickHouse, readMigrationDir } from '../src/lib/server/clickhouse';
import { consoleDbPath, openConsoleDb } from '../src/lib/server/console-db';
import { freePort, startCli, waitForHttp } from '../test/support/cli';
import { signIn } from '../test/support/console-client';

const { values } = parseArgs({
  options: { transactions: { type: 'string', default: '1000000' }, requests: { type: 'string', default: '20' }, 'data-dir': { type: 'string' } },
});
const transactions = Math.min(Number(values.transactions), 5_000_000);
const requests = Math.min(Number(values.requests), 200);
const keep = values['data-dir'] !== undefined;
const dataDir = keep ? values['data-dir']! : mkdtempSync(join(tmpdir(), 'crossdock-console-bench-'));
const marker = join(dataDir, 'bench-loaded.json');
const loaded: { transactions: number; spans: number; loadSeconds: number; loadedAt: number } | undefined = existsSync(marker)
  ? JSON.parse(readFileSync(marker, 'utf8'))
  : undefined;
if (loaded && loaded.transactions !== transactions) throw new Error(`${dataDir} holds ${loaded.transactions} transactions, not ${transactions}`);
const { stored, loadSeconds } = loaded ? { stored: loaded.spans, loadSeconds: loaded.loadSeconds } : await load();
if (!loaded && keep) writeFileSync(marker, JSON.stringify({ transactions, spans: stored, loadSeconds, loadedAt: Date.now() }));

async function load() {
  mkdirSync(dataDir, { recursive: true });
  const loadStarted = performance.now();
  const ch = await openClickHouse({ url: undefined, database: 'crossdock', username: 'default', password: '' }, dataDir);
  await migrate(ch, await readMigrationDir(fileURLToPath(new URL('../migrations/', import.meta.url))));
  const chunk = 1_000_000;
  const spans = transactions * 10;
  for (let from = 0; from < spans; from += chunk) {
    await ch.client.command({
      query: `
        INSERT INTO otel_traces (Timestamp, TraceId, SpanId, ParentSpanId, SpanName, SpanKind, ServiceName, ResourceAttributes,
          ScopeName, ScopeVersion, SpanAttributes, Duration, StatusCode, StatusMessage)
        SELECT Timestamp, TraceId, SpanId, '', SpanName, SpanKind, 'crossdock-runtime', map('service.name', 'crossdock-runtime'),
          'crossdock', '0.1.0', SpanAttributes, 20000000, StatusCode, ''
        FROM (
          SELECT n, intDiv(n, 10) AS tx, n % 10 AS k, cityHash64(tx) AS h,
            tx % 5 = 4 AS inventory,
            -- released at a time spread over 30 days; later milestones follow with realistic delays
            now64(3) - toIntervalMillisecond(toUInt64(tx * 2592000000 / {transactions:UInt64})) AS t0,
            [0, 2000, 4000, 20000 + h % 160000, 7200000 + h % 86400000, 10800000 + h % 86400000, 10860000 + h % 86400000 + (h % 7) * 60000] AS orderOffsets,
            [0, 1000, 60000 + h % 1200000] AS inventoryOffsets,
            ['released', 'routed', 'sent_to_warehouse', 'acknowledged', 'picked', 'shipped', 'confirmed_in_odoo'] AS orderSteps,
            ['reported', 'normalised', 'applied_in_odoo'] AS inventorySteps,
            -- one transaction in 50 is stuck before acknowledgement
            if(inventory, k < 3, k < 7 AND NOT (tx % 50 = 0 AND k >= 3)) AS isMilestone,
            t0 + toIntervalMillisecond(if(inventory, inventoryOffsets[least(k, 2) + 1], orderOffsets[least(k, 6) + 1])) AS at,
            if(isMilestone, toDateTime64(at, 9), toDateTime64(t0 + toIntervalMillisecond(3000 + k), 9)) AS Timestamp,
            lower(hex(MD5(toString(tx * 3 + if(k < 3, 0, 1))))) AS TraceId,
            lower(substring(hex(SHA1(toString(n))), 1, 16)) AS SpanId,
            if(isMilestone, concat('milestone ', if(inventory, inventorySteps[k + 1], orderSteps[k + 1])), 'POST /v1/orders') AS SpanName,
            if(isMilestone, 'Consumer', 'Client') AS SpanKind,
            mapFilter((key, value) -> value != '', map(
              'correlation.id', if(inventory, concat('INV-', toString(tx)), concat('S', leftPad(toString(tx), 7, '0'))),
              'process.name', if(inventory, 'inventory_sync', 'order_fulfillment'),
              'process.milestone', if(isMilestone, if(inventory, inventorySteps[k + 1], orderSteps[k + 1]), ''),
              'warehouse.id', ['wms-rest', 'wms-batch', 'edi-3pl'][1 + h % 3],
              'service.class', ['realtime', 'standard', 'batch'][1 + intDiv(h, 3) % 3],
              'crossdock.endpoint.id', if(isMilestone, '', ['wms-rest', 'wms-batch', 'edi-3pl'][1 + h % 3]))) AS SpanAttributes,
            if(NOT isMilestone AND h % 97 = 0, 'Error', 'Unset') AS StatusCode
          FROM numbers({from:UInt64}, {count:UInt64})
          ARRAY JOIN [number] AS n
        )
        WHERE Timestamp <= now64(9)`,
      query_params: { from, count: Math.min(chunk, spans - from), transactions },
    });
}
const [{ n: stored }] = await (await ch.client.query({ query: 'SELECT count() AS n FROM otel_traces', format: 'JSONEachRow' })).json<{ n: string }>();
await ch.close();
const db = openConsoleDb(consoleDbPath(dataDir));
await addUser(db, { login: 'bench', role: 'admin', password: 'bench-password-1' });
db.close();
return { stored: Number(stored), loadSeconds: (performance.now() - loadStarted) / 1000 };
}

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = startCli(['console'], { CROSSDOCK_DATA_DIR: dataDir, CROSSDOCK_CONSOLE_PORT: String(port), CROSSDOCK_COLLECTOR_PORT: String(await freePort()), ...(process.env.CROSSDOCK_EXCEPTION_INTAKE_MS ? { CROSSDOCK_EXCEPTION_INTAKE_MS: process.env.CROSSDOCK_EXCEPTION_INTAKE_MS } : {}) });
try {
  await waitForHttp(`${base}/healthz`, 180_000).catch((error) => {
    throw new Error(`the console did not start: ${error.message}\n${server.output.stdout}\n${server.output.stderr}`);
  });
  // The console judges transactions from facts its refresher computes at start; wait for that.
  const refreshStarted = performance.now();
  while (!(await (await fetch(`${base}/healthz`)).json()).facts.lastPassAt) await new Promise((r) => setTimeout(r, 250));
  const refreshSeconds = (performance.now() - refreshStarted) / 1000;
  const { cookie } = await signIn(base, 'bench', 'bench-password-1');
  const stuckId = 'S0000050';
  const pages: [string, string][] = [
    ['overview', '/'],
    ['stuck list', '/processes?state=breached&sort=sinceLastMilestone'],
    ['transaction page', `/transactions/${stuckId}`],
    ['30-day SLA report', `/sla?from=${new Date(Date.now() - 30 * 86_400_000).toISOString()}`],
  ];
  console.log(`Console server time, embedded ClickHouse, ${cpus().length} cores, Node ${process.version}`);
  console.log(`  loaded ${transactions.toLocaleString()} transactions, ${stored.toLocaleString()} spans over 30 days in ${loadSeconds.toFixed(0)} s`);
  if (loaded) console.log(`  (reused ${dataDir}, loaded ${((Date.now() - loaded.loadedAt) / 60_000).toFixed(0)} min ago)`);
  console.log(`  first full facts pass after start: ${refreshSeconds.toFixed(1)} s`);
  for (const [name, path] of pages) {
    const times: number[] = [];
    for (let i = 0; i < requests + 1; i++) {
      const started = performance.now();
      const response = await fetch(`${base}${path}`, { headers: { cookie: cookie! } });
      await response.text();
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
      if (i > 0) times.push(performance.now() - started); // the first request warms caches
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    console.log(`  ${name.padEnd(18)} p50 ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms (${requests} requests)`);
  }
  // The overview page serves a shared snapshot; this is what computing one costs.
  const computes: number[] = [];
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 5_500));
    computes.push((await (await fetch(`${base}/api/v1/overview`, { headers: { cookie: cookie! } })).json()).computeMs);
  }
  console.log(`  overview snapshot computation: ${computes.join(', ')} ms (refreshed at most every 5 s, shared by all viewers)`);
} finally {
  await server.stop();
  if (!keep) rmSync(dataDir, { recursive: true, force: true });
}
