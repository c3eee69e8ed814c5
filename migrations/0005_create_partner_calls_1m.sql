-- Calls to partner endpoints per minute (client spans carrying crossdock.endpoint.id), so the
-- Partners page reads a few thousand pre-aggregated rows instead of scanning a day of spans.
CREATE TABLE IF NOT EXISTS partner_calls_1m_v1 (
    Endpoint LowCardinality(String),
    Minute DateTime,
    Calls SimpleAggregateFunction(sum, UInt64),
    Errors SimpleAggregateFunction(sum, UInt64),
    DurationQuantiles AggregateFunction(quantiles(0.5, 0.95, 0.99), UInt64),
    LastSuccess SimpleAggregateFunction(max, DateTime64(3)),
    LastFailure SimpleAggregateFunction(max, DateTime64(3))
) ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(Minute)
ORDER BY (Endpoint, Minute)
TTL Minute + toIntervalDay(30);

CREATE MATERIALIZED VIEW IF NOT EXISTS partner_calls_1m_v1_mv
TO partner_calls_1m_v1
AS SELECT
    SpanAttributes['crossdock.endpoint.id'] AS Endpoint,
    toStartOfMinute(Timestamp) AS Minute,
    toUInt64(count()) AS Calls,
    toUInt64(countIf(StatusCode IN ('Error', 'STATUS_CODE_ERROR'))) AS Errors,
    quantilesState(0.5, 0.95, 0.99)(Duration) AS DurationQuantiles,
    maxIf(toDateTime64(Timestamp + toIntervalNanosecond(Duration), 3), StatusCode NOT IN ('Error', 'STATUS_CODE_ERROR')) AS LastSuccess,
    maxIf(toDateTime64(Timestamp + toIntervalNanosecond(Duration), 3), StatusCode IN ('Error', 'STATUS_CODE_ERROR')) AS LastFailure
FROM otel_traces
WHERE SpanAttributes['crossdock.endpoint.id'] != '' AND SpanKind IN ('Client', 'SPAN_KIND_CLIENT')
GROUP BY Endpoint, Minute;
