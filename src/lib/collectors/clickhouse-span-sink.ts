import type { ClickHouseClient } from '@clickhouse/client';
import type { SpanRow } from './otlp/span-rows';
import type { SpanSink } from './span-buffer';

/** The exporter's INSERT column list, in its order. */
export const SPAN_COLUMNS = [
  'Timestamp', 'TraceId', 'SpanId', 'ParentSpanId', 'TraceState', 'SpanName', 'SpanKind', 'ServiceName',
  'ResourceAttributes', 'ScopeName', 'ScopeVersion', 'SpanAttributes', 'Duration', 'StatusCode', 'StatusMessage',
  'Events.Timestamp', 'Events.Name', 'Events.Attributes', 'Links.TraceId', 'Links.SpanId', 'Links.TraceState', 'Links.Attributes',
] as const satisfies readonly (keyof SpanRow)[];

/**
 * Writes span rows into `otel_traces`, naming the exporter's columns. Rows travel as
 * JSONCompactEachRow (arrays, not objects): the body is a third smaller and ClickHouse parses it
 * about 30% faster than JSONEachRow (bench/ingest.ts).
 */
export function clickHouseSpanSink(client: ClickHouseClient, table = 'otel_traces'): SpanSink {
  return {
    async write(rows: SpanRow[]) {
      await client.insert({
        table,
        values: rows.map((row) => SPAN_COLUMNS.map((column) => row[column])),
        format: 'JSONCompactEachRow',
        columns: [...SPAN_COLUMNS],
      });
    },
  };
}
