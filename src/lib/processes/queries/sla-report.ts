import { z } from 'zod';
import type { ClickHouse } from '../../server/clickhouse';
import { ServiceClass } from '../../integration/canonical/primitives';
import { ProcessName } from '../milestones';
import { AT_RISK_RATIO } from '../slas';
import { listTransactions, type TransactionRow } from './transactions';

export const SlaReportQuery = z.object({
  from: z.coerce.date(),
  to: z.coerce.date(),
  process: ProcessName.optional(),
  warehouse: z.string().max(64).optional(),
  serviceClass: ServiceClass.optional(),
});
export type SlaReportQuery = z.input<typeof SlaReportQuery>;

/** One step's attainment for one process, warehouse and service class. */
export const SlaReportRow = z.object({
  process: z.string(),
  step: z.string(),
  warehouse: z.string(),
  serviceClass: z.string(),
  targetMs: z.coerce.number(),
  /** Steps that started in the period and are finished or past their target. */
  judged: z.coerce.number(),
  met: z.coerce.number(),
  late: z.coerce.number(),
  /** Still open and past the target. */
  breached: z.coerce.number(),
  /** Still open within the target (not judged yet). */
  open: z.coerce.number(),
  attainment: z.number().nullable(),
  p50Ms: z.number(),
  p95Ms: z.number(),
  p99Ms: z.number(),
});
export type SlaReportRow = z.infer<typeof SlaReportRow>;

/** How many transactions the report lists as breaches (earliest first). */
export const BREACH_LIST = 50;

/** Filters on the columns sla_steps_v1 and sla_step_days_v1 share, with their parameters. */
function groupFilters(query: z.output<typeof SlaReportQuery>, params: Record<string, unknown>): string[] {
  const filters: string[] = [];
  const filter = (sql: string, name: string, value: unknown) => {
    if (value === undefined || value === '') return;
    params[name] = value;
    filters.push(sql);
  };
  filter('Process = {process:String}', 'process', query.process);
  filter('Warehouse = {warehouse:String}', 'warehouse', query.warehouse);
  filter('ServiceClass = {serviceClass:String}', 'serviceClass', query.serviceClass);
  return filters;
}

/**
 * Steps that started within the query's period and match `where` (besides the period and the
 * filters), one row each, judged against `now`: `status` (codes of state-sql.ts: 1 met, 2 on
 * track, 3 at risk, 4 breached, 5 late) and `duration` (elapsed so far when open).
 */
function liveSteps(query: z.output<typeof SlaReportQuery>, now: Date, params: Record<string, unknown>, where: string) {
  Object.assign(params, { now: now.getTime(), atRisk: AT_RISK_RATIO, from: query.from.getTime(), to: query.to.getTime() });
  const filters = ['StartMs >= {from:Int64}', 'StartMs < {to:Int64}', ...groupFilters(query, params), where];
  return `
        SELECT Process, CorrelationId, Step, Warehouse, ServiceClass, TargetMs, StartMs,
          multiIf(EndMs != 0, if(EndMs - StartMs <= TargetMs, 1, 5), {now:Int64} - StartMs >= TargetMs, 4,
            {now:Int64} - StartMs >= TargetMs * {atRisk:Float64}, 3, 2) AS status,
          if(EndMs != 0, EndMs - StartMs, {now:Int64} - StartMs) AS duration
        FROM sla_steps_v1 FINAL
        WHERE ${filters.join(' AND ')}`;
}

/** The whole days of the period, served by the rollup, and the live filter for the rest. */
function periodParts(query: z.output<typeof SlaReportQuery>, now: Date) {
  const params: Record<string, unknown> = {
    fullFrom: Math.ceil(query.from.getTime() / 86_400_000),
    fullTo: Math.max(Math.ceil(query.from.getTime() / 86_400_000), Math.floor(query.to.getTime() / 86_400_000)),
  };
  const live = liveSteps(query, now, params, '(EndMs = 0 OR StartMs < {fullFrom:UInt32} * 86400000 OR StartMs >= {fullTo:UInt32} * 86400000)');
  const rolledDays = ['Day >= {fullFrom:UInt32}', 'Day < {fullTo:UInt32}'];
  const rolled = `
      FROM sla_step_days_v1
      WHERE ${[...rolledDays, ...groupFilters(query, params)].join(' AND ')} AND Process != ''
        AND (Day, Version) IN (SELECT Day, max(Version) FROM sla_step_days_v1 WHERE ${rolledDays.join(' AND ')} GROUP BY Day)`;
  return { params, live, rolled };
}

/**
 * Per UTC day of start and per process, step, warehouse and class, for steps that started in the
 * query's period: counts by outcome and a t-digest state of durations. Finished steps of days
 * wholly inside the period come from the daily rollup `sla_step_days_v1` (the newest version of
 * each day, see migration 0008); open steps, and every step of the partial days at either end of
 * the period, are judged live from `sla_steps_v1`.
 */
function perDay(query: z.output<typeof SlaReportQuery>, now: Date, liveFrom?: string) {
  const { params, live, rolled } = periodParts(query, now);
  const sql = `
      SELECT Day, Process, Step, Warehouse, ServiceClass, TargetMs, Met, Late, 0 AS Breached, 0 AS Open, Durations
      ${rolled}
      UNION ALL
      SELECT toUInt32(intDiv(StartMs, 86400000)) AS Day, Process, Step, Warehouse, ServiceClass, any(TargetMs) AS TargetMs,
        countIf(status = 1) AS Met, countIf(status = 5) AS Late, countIf(status = 4) AS Breached, countIf(status IN (2, 3)) AS Open,
        quantilesTDigestState(0.5, 0.95, 0.99)(duration) AS Durations
      FROM ${liveFrom ?? `(${live})`}
      GROUP BY Day, Process, Step, Warehouse, ServiceClass`;
  return { sql, params, live };
}

/**
 * The period's earliest late or breached steps: each rollup day keeps its earliest BREACH_LIST late
 * steps, the live part adds its breached and late ones. A transaction can have several such steps,
 * so BREACH_STEPS of them are read to find BREACH_LIST distinct transactions.
 */
function earliestBreaches(query: z.output<typeof SlaReportQuery>, now: Date, liveFrom?: string) {
  const { params, live, rolled } = periodParts(query, now);
  const sql = `
      SELECT groupArraySorted(${BREACH_STEPS})((start, correlationId, process)) AS earliest
      FROM (
        SELECT late.1 AS start, late.2 AS correlationId, Process AS process
        FROM (SELECT arrayJoin(FirstLate) AS late, Process ${rolled})
        UNION ALL
        SELECT StartMs AS start, CorrelationId AS correlationId, Process AS process FROM ${liveFrom ?? `(${live})`} WHERE status IN (4, 5)
      )`;
  return { sql, params };
}

/** Steps read for the breach list: a transaction has at most a handful of SLA steps. */
const BREACH_STEPS = BREACH_LIST * 8;

const COUNTS = `sum(Met) + sum(Late) + sum(Breached) AS judged, sum(Met) AS met, sum(Late) AS late, sum(Breached) AS breached,
        sum(Open) AS open, if(judged = 0, NULL, met / judged) AS attainment`;

/**
 * SLA attainment and step durations per process, step, warehouse and service class, for steps
 * that started within [from, to). Attainment = met / (met + late + breached); open steps still
 * within target are counted apart. Durations of open steps count as elapsed so far.
 */
export async function slaReport(ch: ClickHouse, input: SlaReportQuery, now = new Date()): Promise<SlaReportRow[]> {
  return (await slaReportWithDays(ch, input, now)).steps;
}

export const SlaDay = z.object({
  day: z.string(),
  judged: z.coerce.number(),
  met: z.coerce.number(),
  attainment: z.number().nullable(),
});
export type SlaDay = z.infer<typeof SlaDay>;

/**
 * The report and its trend (attainment per UTC day) from one pass over the daily rows (GROUPING
 * SETS), for pages that show both; the breach list is `slaBreaches`. Percentiles merge t-digests
 * (per day, and of the live steps): approximate, within 1% of the exact value on the benchmark's
 * groups of ~80,000 steps (the reservoir sample used before was up to 12% off there), exact for a
 * few steps.
 */
export async function slaReportWithDays(
  ch: ClickHouse,
  input: SlaReportQuery,
  now = new Date(),
): Promise<{ steps: SlaReportRow[]; days: SlaDay[] }> {
  const report = perDay(SlaReportQuery.parse(input), now);
  const result = await ch.client.query({ query: reportSelect(report.sql), query_params: report.params, format: 'JSONEachRow', clickhouse_settings: { group_by_use_nulls: 0 } });
  return reportOf(await result.json());
}

/** Aggregates per-day rows (`perDay`) into the report's rows and its days, in one pass (GROUPING SETS). */
const reportSelect = (perDaySql: string, extra = '') => `
      SELECT 0 AS isBreaches, grouping(Day) = 0 AS isDay, any(Process) AS process, any(Step) AS step, any(Warehouse) AS warehouse, any(ServiceClass) AS serviceClass,
        toString(toDate(toDateTime(Day * 86400, 'UTC'))) AS day, any(TargetMs) AS targetMs, ${COUNTS},
        quantilesTDigestMerge(0.5, 0.95, 0.99)(Durations) AS q, q[1] AS p50Ms, q[2] AS p95Ms, q[3] AS p99Ms${extra}
      FROM (${perDaySql})
      -- One plain key instead of four LowCardinality columns: grouping on several of those
      -- serialises every row's key, which costs more than the work itself.
      GROUP BY GROUPING SETS ((concat(Process, '\\0', Step, '\\0', Warehouse, '\\0', ServiceClass)), (Day))
      ORDER BY isDay, Day, process, step, warehouse, serviceClass`;

function reportOf(rows: (Record<string, unknown> & { isDay: boolean | number })[]): { steps: SlaReportRow[]; days: SlaDay[] } {
  return {
    steps: z.array(SlaReportRow).parse(rows.filter((r) => !r.isDay)),
    days: z.array(SlaDay).parse(rows.filter((r) => r.isDay)),
  };
}

/**
 * The report, its trend and its breach list (see `slaBreaches`) for the SLA page. Both judge the
 * same live steps (open ones, and the partial days at the ends); where the engine can keep a
 * subquery's result for the rest of a query (a MATERIALIZED CTE: ClickHouse 26, and so chDB) they
 * are one query that judges them once. Elsewhere the two queries run side by side.
 */
export async function slaReportWithBreaches(
  ch: ClickHouse,
  input: SlaReportQuery,
  now = new Date(),
): Promise<{ steps: SlaReportRow[]; days: SlaDay[]; breaches: { process: string; correlationId: string }[] }> {
  const query = SlaReportQuery.parse(input);
  if (!(await keepsMaterializedCtes(ch))) {
    const [report, breaches] = await Promise.all([slaReportWithDays(ch, query, now), slaBreaches(ch, query, now)]);
    return { ...report, breaches };
  }
  const report = perDay(query, now, 'live');
  const earliest = earliestBreaches(query, now, 'live');
  const result = await ch.client.query({
    query: `
      WITH live AS MATERIALIZED (${report.live})
      SELECT * FROM (${reportSelect(report.sql, ', [] AS earliest')})
      UNION ALL
      SELECT 1, 0, '', '', '', '', '', 0, 0, 0, 0, 0, 0, NULL, [], 0, 0, 0, earliest FROM (${earliest.sql})`,
    query_params: { ...report.params, ...earliest.params },
    format: 'JSONEachRow',
    // Not in @clickhouse/client's settings type yet (ClickHouse 26).
    clickhouse_settings: { group_by_use_nulls: 0, enable_materialized_cte: 1 } as Record<string, number>,
  });
  const rows = await result.json<Record<string, unknown> & { isDay: boolean | number; isBreaches: boolean | number; earliest: [string, string, string][] }>();
  const breachRow = rows.find((r) => r.isBreaches);
  return { ...reportOf(rows.filter((r) => !r.isBreaches)), breaches: distinctBreaches(breachRow?.earliest ?? []) };
}

// Whether each ClickHouse (by client) keeps materialized CTEs; asked once.
const materializedCtes = new WeakMap<object, Promise<boolean>>();
function keepsMaterializedCtes(ch: ClickHouse): Promise<boolean> {
  let known = materializedCtes.get(ch.client);
  if (!known) {
    known = ch.client
      .query({ query: "SELECT count() AS n FROM system.settings WHERE name = 'enable_materialized_cte'", format: 'JSONEachRow' })
      .then(async (result) => Number((await result.json<{ n: string }>())[0]?.n) > 0)
      .catch(() => false);
    materializedCtes.set(ch.client, known);
  }
  return known;
}

/**
 * The transactions behind a report's breaches: those with a step that started in the period and
 * is breached (open past its target) or late (finished past it), earliest such step first, at most
 * BREACH_LIST. Its own query, so a page runs it beside the report (as one more aggregate in every
 * group of the report it had cost more than the rest of the report together).
 */
export async function slaBreaches(ch: ClickHouse, input: SlaReportQuery, now = new Date()): Promise<{ process: string; correlationId: string }[]> {
  const { sql, params } = earliestBreaches(SlaReportQuery.parse(input), now);
  const [row] = await (await ch.client.query({ query: sql, query_params: params, format: 'JSONEachRow' })).json<{ earliest: [string, string, string][] }>();
  return distinctBreaches(row?.earliest ?? []);
}

/** The first BREACH_LIST distinct transactions among the earliest breached or late steps. */
function distinctBreaches(earliest: [string, string, string][]): { process: string; correlationId: string }[] {
  const breaches = new Map<string, { process: string; correlationId: string }>();
  for (const [, correlationId, process] of earliest)
    if (breaches.size < BREACH_LIST) breaches.set(`${process}\u0000${correlationId}`, { process, correlationId });
  return [...breaches.values()];
}

/** The transactions behind a report's breaches (its `breaches`), with their state, in that order. */
export async function breachedTransactions(ch: ClickHouse, breaches: { process: string; correlationId: string }[], now = new Date()): Promise<TransactionRow[]> {
  if (breaches.length === 0) return [];
  const key = (r: { process: string; correlationId: string }) => `${r.process}\u0000${r.correlationId}`;
  const order = new Map(breaches.map((b, i) => [key(b), i]));
  const { items } = await listTransactions(ch, { correlationIds: [...new Set(breaches.map((b) => b.correlationId))], limit: 500 }, now);
  return items.filter((i) => order.has(key(i))).sort((a, b) => order.get(key(a))! - order.get(key(b))!);
}
