import { z } from 'zod';
import type { ClickHouse } from '../connect';

/** One trace of a business transaction, from the correlation lookup. */
export const CorrelationTrace = z.object({
  traceId: z.string(),
  startNs: z.string(),
  endNs: z.string(),
  spans: z.coerce.number(),
  errors: z.coerce.number(),
});
export type CorrelationTrace = z.infer<typeof CorrelationTrace>;

/**
 * The traces of one correlation ID with each trace's full time range: a primary-key seek on
 * `otel_traces_correlation_ts` joined to the exporter's trace-id lookup. Both tables hold one row
 * per insert block until merges collapse them, so rows are regrouped here. The trace range comes
 * from the trace lookup because spans without `correlation.id` (a partner call's client span)
 * belong to the transaction too. That lookup stores whole seconds, hence the second added.
 */
export async function findCorrelationTraces(ch: ClickHouse, correlationId: string, limit = 1_000): Promise<CorrelationTrace[]> {
  const result = await ch.client.query({
    query: `
      WITH traces AS (
        SELECT TraceId, min(Start) AS start, max(End) AS end, sum(Spans) AS spans, sum(Errors) AS errors
        FROM otel_traces_correlation_ts
        WHERE CorrelationId = {correlationId:String}
        GROUP BY TraceId
        ORDER BY start
        LIMIT {limit:UInt32}
      ),
      bounds AS (
        SELECT TraceId, min(Start) AS start, max(End) + 1 AS end
        FROM otel_traces_trace_id_ts
        WHERE TraceId IN (SELECT TraceId FROM traces)
        GROUP BY TraceId
      )
      SELECT
        t.TraceId AS traceId,
        toString(toUnixTimestamp64Nano(least(t.start, toDateTime64(ifNull(b.start, t.start), 9)))) AS startNs,
        toString(toUnixTimestamp64Nano(greatest(t.end, toDateTime64(ifNull(b.end, t.end), 9)))) AS endNs,
        t.spans AS spans,
        t.errors AS errors
      FROM traces AS t
      LEFT JOIN bounds AS b ON b.TraceId = t.TraceId
      ORDER BY startNs`,
    query_params: { correlationId, limit },
    format: 'JSONEachRow',
    clickhouse_settings: { join_use_nulls: 1 },
  });
  return z.array(CorrelationTrace).parse(await result.json());
}

/** A span row as the transaction view needs it; attribute maps come back as objects. */
export const StoredSpan = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string(),
  name: z.string(),
  kind: z.string(),
  service: z.string(),
  startNs: z.string(),
  durationNs: z.string(),
  statusCode: z.string(),
  statusMessage: z.string(),
  attributes: z.record(z.string(), z.string()),
  resource: z.record(z.string(), z.string()),
  eventTimesNs: z.array(z.string()),
  eventNames: z.array(z.string()),
  eventAttributes: z.array(z.record(z.string(), z.string())),
  linkTraceIds: z.array(z.string()),
  linkSpanIds: z.array(z.string()),
});
export type StoredSpan = z.infer<typeof StoredSpan>;

/** Spans of the given traces within a time window (always bounded, so partitions are pruned). */
export async function readTraceSpans(
  ch: ClickHouse,
  traceIds: string[],
  window: { fromNs: string; toNs: string },
  limit: number,
): Promise<StoredSpan[]> {
  if (traceIds.length === 0) return [];
  const result = await ch.client.query({
    query: `
      SELECT
        TraceId AS traceId, SpanId AS spanId, ParentSpanId AS parentSpanId, SpanName AS name,
        SpanKind AS kind, ServiceName AS service,
        toString(toUnixTimestamp64Nano(Timestamp)) AS startNs, toString(Duration) AS durationNs,
        StatusCode AS statusCode, StatusMessage AS statusMessage,
        SpanAttributes AS attributes, ResourceAttributes AS resource,
        arrayMap(t -> toString(toUnixTimestamp64Nano(t)), Events.Timestamp) AS eventTimesNs,
        Events.Name AS eventNames, Events.Attributes AS eventAttributes,
        Links.TraceId AS linkTraceIds, Links.SpanId AS linkSpanIds
      FROM otel_traces
      WHERE TraceId IN {traceIds:Array(String)}
        AND Timestamp >= fromUnixTimestamp64Nano({fromNs:Int64})
        AND Timestamp <= fromUnixTimestamp64Nano({toNs:Int64})
      ORDER BY Timestamp, SpanId
      LIMIT {limit:UInt32}`,
    query_params: { traceIds, fromNs: window.fromNs, toNs: window.toNs, limit },
    format: 'JSONEachRow',
  });
  return z.array(StoredSpan).parse(await result.json());
}
