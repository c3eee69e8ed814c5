-- One row per business transaction (process + correlation id), kept current by a materialized
-- view over milestone-bearing spans, so "which orders are stuck", "which confirmations are late"
-- and SLA attainment are aggregates over transactions, not scans of spans. State (on track, at
-- risk, breached, completed, ...) is derived at query time from these columns and the SLA
-- definitions, so a milestone that arrives late corrects the state on the next read.
CREATE TABLE IF NOT EXISTS process_transactions_v1 (
    Process LowCardinality(String),
    CorrelationId String,
    -- First time each milestone was reached (the end of the span that marks it).
    Milestones SimpleAggregateFunction(minMap, Map(String, DateTime64(3))),
    FirstSeen SimpleAggregateFunction(min, DateTime64(3)),
    LastSeen SimpleAggregateFunction(max, DateTime64(3)),
    -- Last time each warehouse was involved; the latest one is the current warehouse (reroutes move it).
    Warehouses SimpleAggregateFunction(maxMap, Map(String, DateTime64(3))),
    ServiceClass SimpleAggregateFunction(max, LowCardinality(String)),
    Spans SimpleAggregateFunction(sum, UInt64),
    Errors SimpleAggregateFunction(sum, UInt64),
    DeadLetters SimpleAggregateFunction(sum, UInt64),
    -- Failed spans per exception category.
    ErrorCategories SimpleAggregateFunction(sumMap, Map(String, UInt64)),
    -- When spans of this transaction last arrived (not when they happened): late spans count as
    -- news for the console's refresher (see transaction_facts_v1).
    InsertedAt SimpleAggregateFunction(max, DateTime64(3))
) ENGINE = AggregatingMergeTree()
ORDER BY (Process, CorrelationId)
SETTINGS index_granularity = 4096;

CREATE MATERIALIZED VIEW IF NOT EXISTS process_transactions_v1_mv
TO process_transactions_v1
AS SELECT
    SpanAttributes['process.name'] AS Process,
    CorrelationId,
    minMap(if(SpanAttributes['process.milestone'] != '',
              map(SpanAttributes['process.milestone'], toDateTime64(Timestamp + toIntervalNanosecond(Duration), 3)),
              CAST(map(), 'Map(String, DateTime64(3))'))) AS Milestones,
    min(toDateTime64(Timestamp, 3)) AS FirstSeen,
    max(toDateTime64(Timestamp + toIntervalNanosecond(Duration), 3)) AS LastSeen,
    maxMap(if(SpanAttributes['warehouse.id'] != '',
              map(SpanAttributes['warehouse.id'], toDateTime64(Timestamp, 3)),
              CAST(map(), 'Map(String, DateTime64(3))'))) AS Warehouses,
    max(SpanAttributes['service.class']) AS ServiceClass,
    toUInt64(count()) AS Spans,
    toUInt64(countIf(StatusCode IN ('Error', 'STATUS_CODE_ERROR'))) AS Errors,
    toUInt64(countIf(SpanAttributes['crossdock.outcome'] = 'dead_letter')) AS DeadLetters,
    sumMap(if(SpanAttributes['crossdock.exception.category'] != '',
              map(SpanAttributes['crossdock.exception.category'], toUInt64(1)),
              CAST(map(), 'Map(String, UInt64)'))) AS ErrorCategories,
    now64(3) AS InsertedAt
FROM otel_traces
WHERE CorrelationId != '' AND SpanAttributes['process.name'] != ''
GROUP BY Process, CorrelationId;
