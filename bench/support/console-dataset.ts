/**
 * The console benchmarks' dataset: N transactions (10 spans each: milestones plus partner calls,
 * spread over 30 days, with stuck, late and in-flight ones) written into an embedded ClickHouse
 * through the real tables and views, and a console database with one admin (`bench`).
 *
 * With a kept data directory the data is loaded once: later runs with the same directory reuse
 * it. The spans' times are relative to the load, so reused data has aged by the time since.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addUser } from '../../src/lib/server/auth';
import { migrate, openClickHouse, readMigrationDir } from '../../src/lib/server/clickhouse';
import { consoleDbPath, openConsoleDb } from '../../src/lib/server/console-db';

export interface Dataset {
  transactions: number;
  spans: number;
  loadSeconds: number;
  loadedAt: number;
  /** Whether an earlier run's data was reused. */
  reused: boolean;
}

export async function consoleDataset(dataDir: string, transactions: number, keep: boolean): Promise<Dataset> {
  const marker = join(dataDir, 'bench-loaded.json');
  if (existsSync(marker)) {
    const loaded = JSON.parse(readFileSync(marker, 'utf8')) as Omit<Dataset, 'reused'>;
    if (loaded.transactions !== transactions) throw new Error(`${dataDir} holds ${loaded.transactions} transactions, not ${transactions}`);
    return { ...loaded, reused: true };
  }
  const { stored, loadSeconds } = await load(dataDir, transactions);
  const dataset = { transactions, spans: stored, loadSeconds, loadedAt: Date.now() };
  if (keep) writeFileSync(marker, JSON.stringify(dataset));
  return { ...dataset, reused: false };
}

async function load(dataDir: string, transactions: number) {
  mkdirSync(dataDir, { recursive: true });
  const loadStarted = performance.now();
  const ch = await openClickHouse({ url: undefined, database: 'crossdock', username: 'default', password: '' }, dataDir);
  await migrate(ch, await readMigrationDir(fileURLToPath(new URL('../../migrations/', import.meta.url))));
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
