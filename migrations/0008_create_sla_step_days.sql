-- Finished SLA steps aggregated per UTC day of their start and per process, step, warehouse and
-- service class (counts met and late, a t-digest of durations, and the earliest late steps), so a report over weeks merges
-- a few hundred rows per day instead of aggregating millions of step rows. The console's
-- refresher rewrites whole days from sla_steps_v1: every day a pass touched (including the day a
-- step started on before late data moved it), with the pass's Version, plus one marker row per
-- rewritten day (Process = '') so a day whose groups all disappeared is rewritten too. Readers use
-- each day's newest Version only; open steps and partial days are judged from sla_steps_v1 live.
CREATE TABLE IF NOT EXISTS sla_step_days_v1 (
    -- Days since 1970-01-01 (UTC) of the step's start.
    Day UInt32,
    Process LowCardinality(String),
    Step LowCardinality(String),
    Warehouse LowCardinality(String),
    ServiceClass LowCardinality(String),
    Version UInt64,
    TargetMs Int64,
    Met UInt64,
    Late UInt64,
    Durations AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), Int64),
    -- The day's 50 earliest late steps of the group, (StartMs, CorrelationId), for the report's
    -- list of breaches: the period's earliest 50 are always among these.
    FirstLate Array(Tuple(Int64, String))
) ENGINE = ReplacingMergeTree(Version)
ORDER BY (Day, Process, Step, Warehouse, ServiceClass);
