import type { ClickHouse } from './connect';

// Each span table and the time column its rows expire by.
const tables = [
  { table: 'otel_traces', expires: 'toDateTime(Timestamp)' },
  { table: 'otel_traces_trace_id_ts', expires: 'toDateTime(Start)' },
  { table: 'otel_traces_correlation_ts', expires: 'toDateTime(Start)' },
  { table: 'process_transactions_v1', expires: 'toDateTime(LastSeen)' },
] as const;

/**
 * Sets how long spans are kept (0 = forever) on every span table. Runs at console start, so
 * changing CROSSDOCK_TRACE_TTL_DAYS takes effect on restart. Existing parts are not rewritten
 * (`materialize_ttl_after_modify = 0`); with `ttl_only_drop_parts` whole daily parts are dropped
 * as they expire, which is cheap.
 */
export async function applyRetention(ch: ClickHouse, days: number): Promise<void> {
  for (const { table, expires } of tables) {
    const current = await currentTtl(ch, table);
    if (days === 0) {
      if (current) await ch.client.command({ query: `ALTER TABLE ${table} REMOVE TTL` });
      continue;
    }
    // `days` is a validated whole number and the names are constants, so splicing is safe; DDL
    // TTL expressions do not take query parameters.
    const ttl = `${expires} + toIntervalDay(${Math.trunc(days)})`;
    if (current?.replace(/\s+/g, '') === ttl.replace(/\s+/g, '')) continue;
    await ch.client.command({
      query: `ALTER TABLE ${table} MODIFY TTL ${ttl}`,
      clickhouse_settings: { materialize_ttl_after_modify: 0 },
    });
  }
}

async function currentTtl(ch: ClickHouse, table: string): Promise<string | undefined> {
  const result = await ch.client.query({
    query: 'SELECT create_table_query FROM system.tables WHERE database = currentDatabase() AND name = {table:String}',
    query_params: { table },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ create_table_query: string }>();
  return row?.create_table_query.match(/\bTTL (.+?)(?= SETTINGS | ORDER BY |$)/)?.[1];
}
