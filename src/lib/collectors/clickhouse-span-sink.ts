import type { ClickHouseClient } from '@clickhouse/client';
import type { SpanRow } from './otlp/span-rows';
import type { SpanSink } from './span-buffer';

/** Writes span rows into `otel_traces` with the exporter's column names. */
export function clickHouseSpanSink(client: ClickHouseClient, table = 'otel_traces'): SpanSink {
  return {
    async write(rows: SpanRow[]) {
      await client.insert({ table, values: rows, format: 'JSONEachRow' });
    },
  };
}
