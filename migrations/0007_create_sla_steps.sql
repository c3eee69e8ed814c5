-- One row per started SLA step of a transaction (flattened from transaction_facts_v1 by the
-- console's refresher), so SLA reports aggregate plain columns over a period instead of
-- unnesting every transaction's step arrays. End is 0 while the step is open; its status is
-- judged against "now" when read.
CREATE TABLE IF NOT EXISTS sla_steps_v1 (
    Process LowCardinality(String),
    CorrelationId String,
    Step LowCardinality(String),
    Version UInt64,
    Warehouse LowCardinality(String),
    ServiceClass LowCardinality(String),
    StartMs Int64,
    EndMs Int64,
    TargetMs Int64
) ENGINE = ReplacingMergeTree(Version)
ORDER BY (Process, CorrelationId, Step)
SETTINGS index_granularity = 8192;
