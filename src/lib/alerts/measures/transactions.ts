import { z } from 'zod';
import { slaReport } from '../../processes/queries/sla-report';
import { currentFacts, liveStateSql } from '../../processes/state-sql';
import type { ClickHouse } from '../../server/clickhouse';
import type { AffectedTransaction } from '../alert';
import type { Scope } from '../rules/rule';

/** How many of an alert's transactions it carries (oldest first) for the email and the page. */
export const AFFECTED = 10;

const Stuck = z.object({
  warehouse: z.string(),
  stuck: z.coerce.number(),
  top: z.array(z.tuple([z.coerce.number(), z.string(), z.string(), z.string()])),
});

/** Filters on stored facts columns for a rule's scope, with their parameters. */
function scopeFilter(scope: Scope, params: Record<string, unknown>, columns = { process: 'Process', warehouse: 'Warehouse', serviceClass: 'ServiceClass' }) {
  const filters: string[] = [];
  for (const key of ['process', 'warehouse', 'serviceClass'] as const) {
    if (scope[key] === undefined) continue;
    params[key] = scope[key];
    filters.push(`${columns[key]} = {${key}:String}`);
  }
  return filters;
}

/**
 * Open transactions stuck past a step's SLA, per warehouse: how many and the oldest few. One
 * query over the open transactions' facts (completed ones cannot be stuck); the state is judged
 * at `now`, so a milestone that arrived late takes its transaction off at once.
 */
export async function stuckByWarehouse(ch: ClickHouse, scope: Scope, now: Date): Promise<{ warehouse: string; stuck: number; affected: AffectedTransaction[] }[]> {
  const state = liveStateSql(now);
  const params: Record<string, unknown> = { ...state.params };
  const where = ['Completed = 0', ...scopeFilter(scope, params)].join(' AND ');
  const result = await ch.client.query({
    query: `
      SELECT Warehouse AS warehouse, count() AS stuck,
        groupArraySorted(${AFFECTED})((-ageMs, CorrelationId, Process, CurrentStep)) AS top
      FROM (SELECT Warehouse, CorrelationId, Process, CurrentStep, ${state.sql} FROM (${currentFacts(`WHERE ${where}`)}))
      WHERE state = 'breached'
      GROUP BY Warehouse
      ORDER BY Warehouse`,
    query_params: params,
    format: 'JSONEachRow',
  });
  return z
    .array(Stuck)
    .parse(await result.json())
    .map((row) => ({
      warehouse: row.warehouse,
      stuck: row.stuck,
      affected: row.top.map(([negativeAge, correlationId, process, currentStep]) => ({
        correlationId, process, currentStep, state: 'breached', warehouse: row.warehouse, ageMs: -negativeAge,
      })),
    }));
}

/** Steps judged (met, late or breached) and met, of those that started within [from, now). */
export async function attainment(ch: ClickHouse, scope: Scope, from: Date, now: Date): Promise<{ judged: number; met: number }> {
  const rows = await slaReport(ch, { from, to: now, ...scope }, now);
  return rows.reduce((sum, row) => ({ judged: sum.judged + row.judged, met: sum.met + row.met }), { judged: 0, met: 0 });
}

/**
 * Minutes until the day's attainment falls below `target` if the recent rate goes on: with `met`
 * of `judged` steps today and, lately, `rate` steps a minute of which a share `bad` missed,
 * attainment after t minutes is (met + rate·t·(1 − bad)) / (judged + rate·t). It falls below the
 * target when t > (met − target·judged) / (rate·(bad − (1 − target))). Infinity when the recent
 * rate is within the target (the day can only get better); 0 when the day is already lost.
 */
export function minutesUntilTargetLost(today: { judged: number; met: number }, recent: { judged: number; met: number; minutes: number }, target: number): number {
  const margin = today.met - target * today.judged;
  if (today.judged > 0 && margin < 0) return 0;
  if (recent.judged === 0) return Infinity;
  const rate = recent.judged / recent.minutes;
  const bad = 1 - recent.met / recent.judged;
  const overspend = bad - (1 - target);
  if (overspend <= 0) return Infinity;
  return margin / (rate * overspend);
}
