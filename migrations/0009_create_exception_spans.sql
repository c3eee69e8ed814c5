-- Failed spans, one narrow row each, captured as they are written: the console's exception
-- intake reads what arrived since its cursor (InsertedAt) from here instead of scanning a day of
-- spans for StatusCode = 'Error' every few seconds.
CREATE TABLE IF NOT EXISTS exception_spans_v1 (
    InsertedAt DateTime64(3),
    Timestamp DateTime64(9),
    TraceId String,
    SpanId String,
    ParentSpanId String,
    ServiceName LowCardinality(String),
    SpanName LowCardinality(String),
    SpanKind LowCardinality(String),
    CorrelationId String,
    Process LowCardinality(String),
    Warehouse LowCardinality(String),
    Endpoint LowCardinality(String),
    Category LowCardinality(String),
    Outcome LowCardinality(String),
    HttpStatus UInt16,
    Message String
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(InsertedAt)
ORDER BY (InsertedAt, SpanId)
TTL toDateTime(InsertedAt) + toIntervalDay(30);

CREATE MATERIALIZED VIEW IF NOT EXISTS exception_spans_v1_mv
TO exception_spans_v1
AS SELECT
    now64(3) AS InsertedAt,
    Timestamp,
    TraceId,
    SpanId,
    ParentSpanId,
    ServiceName,
    SpanName,
    SpanKind,
    SpanAttributes['correlation.id'] AS CorrelationId,
    SpanAttributes['process.name'] AS Process,
    SpanAttributes['warehouse.id'] AS Warehouse,
    SpanAttributes['crossdock.endpoint.id'] AS Endpoint,
    SpanAttributes['crossdock.exception.category'] AS Category,
    SpanAttributes['crossdock.outcome'] AS Outcome,
    toUInt16OrZero(SpanAttributes['http.response.status_code']) AS HttpStatus,
    if(indexOf(Events.Name, 'exception') > 0, Events.Attributes[indexOf(Events.Name, 'exception')]['exception.message'], StatusMessage) AS Message
FROM otel_traces
WHERE StatusCode IN ('Error', 'STATUS_CODE_ERROR');
