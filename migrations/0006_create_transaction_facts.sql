-- What the console knows about each transaction that does not depend on the clock: its SLA
-- steps (start, end, target) for its process and service class, current step, warehouse,
-- completion and lateness. The console's refresher recomputes the rows of transactions whose
-- spans arrived since its last pass (and all rows at start, so SLA changes apply), so reads
-- judge open steps against "now" with a few array operations instead of re-deriving everything
-- from milestone maps. ReplacingMergeTree keeps the newest version of each row.
CREATE TABLE IF NOT EXISTS transaction_facts_v1 (
    Process LowCardinality(String),
    CorrelationId String,
    Version UInt64,
    ServiceClass LowCardinality(String),
    Warehouse LowCardinality(String),
    Completed UInt8,
    -- Completed with at least one step past its target.
    Late UInt8,
    FirstSeen DateTime64(3),
    LastMilestoneAt DateTime64(3),
    CurrentStep LowCardinality(String),
    Errors UInt64,
    DeadLetters UInt64,
    Milestones Map(String, DateTime64(3)),
    StepNames Array(LowCardinality(String)),
    StepStarts Array(Int64),
    StepEnds Array(Int64),
    StepTargets Array(Int64)
) ENGINE = ReplacingMergeTree(Version)
ORDER BY (Process, CorrelationId)
SETTINGS index_granularity = 4096;
