-- Crossdock's addition beside the exporter's tables: which traces belong to a business
-- transaction (correlation.id), and when. Keyed by CorrelationId so finding a transaction's
-- traces is a primary-key seek, not a scan of the attribute map. Rows from several insert blocks
-- are merged by the engine; readers regroup with min/max/sum anyway. The view reads the
-- materialized CorrelationId column rather than extracting it from the map a second time.
CREATE TABLE IF NOT EXISTS otel_traces_correlation_ts (
    CorrelationId String CODEC(ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    Start SimpleAggregateFunction(min, DateTime64(9)),
    End SimpleAggregateFunction(max, DateTime64(9)),
    Spans SimpleAggregateFunction(sum, UInt64),
    Errors SimpleAggregateFunction(sum, UInt64)
) ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(Start)
ORDER BY (CorrelationId, TraceId)
SETTINGS index_granularity = 1024;

CREATE MATERIALIZED VIEW IF NOT EXISTS otel_traces_correlation_ts_mv
TO otel_traces_correlation_ts
AS SELECT
    CorrelationId,
    TraceId,
    min(Timestamp) AS Start,
    max(Timestamp + toIntervalNanosecond(Duration)) AS End,
    toUInt64(count()) AS Spans,
    toUInt64(countIf(StatusCode IN ('Error', 'STATUS_CODE_ERROR'))) AS Errors
FROM otel_traces
WHERE CorrelationId != ''
GROUP BY CorrelationId, TraceId;
