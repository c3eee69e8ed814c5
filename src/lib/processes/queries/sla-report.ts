import { z } from 'zod';
import type { ClickHouse } from '../../server/clickhouse';
import { ServiceClass } from '../../integration/canonical/primitives';
import { ProcessName } from '../milestones';
import { AT_RISK_RATIO } from '../slas';

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

/** Every step that started within the query's period, one row each, judged against `now`. */
function stepsInPeriod(query: z.output<typeof SlaReportQuery>, now: Date) {
  const params: Record<string, unknown> = { now: now.getTime(), atRisk: AT_RISK_RATIO, from: query.from.getTime(), to: query.to.getTime() };
  const filters = ['StartMs >= {from:Int64}', 'StartMs < {to:Int64}'];
  const filter = (sql: string, name: string, value: unknown) => {
    if (value === undefined || value === '') return;
    params[name] = value;
    filters.push(sql);
  };
  filter('Process = {process:String}', 'process', query.process);
  filter('Warehouse = {warehouse:String}', 'warehouse', query.warehouse);
  filter('ServiceClass = {serviceClass:String}', 'serviceClass', query.serviceClass);
  const from = `
      FROM (
        SELECT Process, Step AS step, Warehouse, ServiceClass, TargetMs AS target, StartMs AS started,
          multiIf(EndMs != 0, if(EndMs - StartMs <= TargetMs, 1, 5), {now:Int64} - StartMs >= TargetMs, 4,
            {now:Int64} - StartMs >= TargetMs * {atRisk:Float64}, 3, 2) AS status,
          if(EndMs != 0, EndMs - StartMs, {now:Int64} - StartMs) AS duration
        FROM sla_steps_v1 FINAL
        WHERE ${filters.join(' AND ')})`;
  return { from, params };
}

// Status codes from state-sql.ts: 1 met, 2 on track, 3 at risk, 4 breached, 5 late.
const COUNTS = `countIf(status IN (1, 4, 5)) AS judged, countIf(status = 1) AS met, countIf(status = 5) AS late,
        countIf(status = 4) AS breached, countIf(status IN (2, 3)) AS open,
        if(judged = 0, NULL, met / judged) AS attainment`;

/**
 * SLA attainment and step durations per process, step, warehouse and service class, for steps
 * that started within [from, to). Attainment = met / (met + late + breached); open steps still
 * within target are counted apart. Durations of open steps count as elapsed so far.
 */
export async function slaReport(ch: ClickHouse, input: SlaReportQuery, now = new Date()): Promise<SlaReportRow[]> {
  const { from, params } = stepsInPeriod(SlaReportQuery.parse(input), now);
  const result = await ch.client.query({
    query: `
      SELECT Process AS process, step, Warehouse AS warehouse, ServiceClass AS serviceClass, any(target) AS targetMs, ${COUNTS},
        quantiles(0.5, 0.95, 0.99)(duration) AS q, q[1] AS p50Ms, q[2] AS p95Ms, q[3] AS p99Ms
      ${from}
      GROUP BY process, step, warehouse, serviceClass
      ORDER BY process, step, warehouse, serviceClass`,
    query_params: params,
    format: 'JSONEachRow',
  });
  return z.array(SlaReportRow).parse(await result.json());
}

export const SlaDay = z.object({
  day: z.string(),
  judged: z.coerce.number(),
  met: z.coerce.number(),
  attainment: z.number().nullable(),
});
export type SlaDay = z.infer<typeof SlaDay>;

/**
 * The report and its trend (attainment per UTC day) from one pass over the steps (GROUPING
 * SETS), for pages that show both.
 */
export async function slaReportWithDays(ch: ClickHouse, input: SlaReportQuery, now = new Date()): Promise<{ steps: SlaReportRow[]; days: SlaDay[] }> {
  const { from, params } = stepsInPeriod(SlaReportQuery.parse(input), now);
  const result = await ch.client.query({
    query: `
      SELECT grouping(day) = 0 AS isDay, Process AS process, step, Warehouse AS warehouse, ServiceClass AS serviceClass,
        toString(toDate(fromUnixTimestamp64Milli(started))) AS day, any(target) AS targetMs, ${COUNTS},
        quantiles(0.5, 0.95, 0.99)(duration) AS q, q[1] AS p50Ms, q[2] AS p95Ms, q[3] AS p99Ms
      ${from}
      GROUP BY GROUPING SETS ((process, step, warehouse, serviceClass), (day))
      ORDER BY isDay, process, step, warehouse, serviceClass, day`,
    query_params: params,
    format: 'JSONEachRow',
    clickhouse_settings: { group_by_use_nulls: 0 },
  });
  const rows = await result.json<Record<string, unknown> & { isDay: boolean | number }>();
  return {
    steps: z.array(SlaReportRow).parse(rows.filter((r) => !r.isDay)),
    days: z.array(SlaDay).parse(rows.filter((r) => r.isDay)),
  };
}
