import { ServiceClass } from '../integration/canonical/primitives';
import { milestones, ProcessName } from './milestones';
import { AT_RISK_RATIO, effectiveSlas, type SlaDefinition } from './slas';

/** SQL plus the query parameters it uses. */
export interface Sql {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * The clock-independent facts of each transaction, as a SELECT over `process_transactions_v1`
 * (merged per transaction) whose columns match `transaction_facts_v1`: which SLA steps apply to
 * its process and service class, when each started and ended, its current step, warehouse,
 * completion and lateness. The SLA definitions travel as array parameters (zipped in SQL: the
 * client has no plain-array form for tuples), never as spliced text.
 *
 * @param where a condition on `process_transactions_v1` rows (e.g. "changed since"), or ''.
 */
export function transactionFactsSql(slas: SlaDefinition[], where: string, version: number): Sql {
  const table: [string, string, string, string, number, string][] = [];
  for (const process of ProcessName.options)
    for (const serviceClass of ServiceClass.options)
      for (const sla of effectiveSlas(slas, process, serviceClass))
        table.push([process, serviceClass, sla.from, sla.to, sla.targetMs, `${sla.from}→${sla.to}`]);
  const processes = ProcessName.options;
  const params = {
    version,
    slaProcess: table.map((t) => t[0]),
    slaClass: table.map((t) => t[1]),
    slaFrom: table.map((t) => t[2]),
    slaTo: table.map((t) => t[3]),
    slaTarget: table.map((t) => t[4]),
    slaName: table.map((t) => t[5]),
    processes,
    orders: processes.map((p) => [...milestones[p]]),
    finals: processes.map((p) => milestones[p][milestones[p].length - 1]),
  };
  const at = (name: string) => `if(mapContains(M, ${name}), toUnixTimestamp64Milli(M[${name}]), toInt64(0))`;
  const sql = `
    SELECT Process, CorrelationId, {version:UInt64} AS Version, SC AS ServiceClass,
      if(empty(W), '', mapKeys(W)[indexOf(mapValues(W), arrayMax(mapValues(W)))]) AS Warehouse,
      processIndex > 0 AND mapContains(M, {finals:Array(String)}[processIndex]) AS Completed,
      Completed AND arrayExists((start, end, target) -> start != 0 AND end != 0 AND end - start > target, StepStarts, StepEnds, StepTargets) AS Late,
      FirstSeen,
      if(empty(M), FirstSeen, arrayMax(mapValues(M))) AS LastMilestoneAt,
      if(empty(M) OR processIndex = 0, '', {orders:Array(Array(String))}[processIndex][toUInt64(greatest(1, arrayMax(arrayMap(m -> indexOf({orders:Array(Array(String))}[processIndex], m), mapKeys(M)))))]) AS CurrentStep,
      Errors, DeadLetters, M AS Milestones,
      arrayMap(s -> s.6, applicable) AS StepNames,
      arrayMap(s -> ${at('s.3')}, applicable) AS StepStarts,
      arrayMap(s -> ${at('s.4')}, applicable) AS StepEnds,
      arrayMap(s -> s.5, applicable) AS StepTargets
    FROM (
      SELECT *,
        indexOf({processes:Array(String)}, Process) AS processIndex,
        arrayFilter(s -> s.1 = Process AND s.2 = SC, arrayZip({slaProcess:Array(String)}, {slaClass:Array(String)}, {slaFrom:Array(String)},
          {slaTo:Array(String)}, {slaTarget:Array(Int64)}, {slaName:Array(String)})) AS applicable
      FROM (
        SELECT Process, CorrelationId,
          minMap(Milestones) AS M, min(FirstSeen) AS FirstSeen, maxMap(Warehouses) AS W,
          if(max(ServiceClass) = '', 'standard', max(ServiceClass)) AS SC,
          sum(Errors) AS Errors, sum(DeadLetters) AS DeadLetters
        FROM process_transactions_v1
        ${where}
        GROUP BY Process, CorrelationId))`;
  return { sql, params };
}

/**
 * Select-list entries that judge a `transaction_facts_v1` row against `now`: per step (parallel to
 * `StepNames`) `statuses` (0 not started, 1 met, 2 on track, 3 at risk, 4 breached, 5 late) and
 * `stepDurationsMs` (elapsed so far when open), and `state`, `slaUsed`, `ageMs`,
 * `sinceLastMilestoneMs`. Completed transactions are decided by stored columns alone, so the
 * array work runs only for open ones.
 *
 * The state is computed when read: a milestone that arrives after a step was judged breached
 * turns it into met or late as soon as the refresher has seen it.
 */
export function liveStateSql(now: Date): Sql {
  const params = { now: now.getTime(), atRisk: AT_RISK_RATIO };
  const sql = [
    `arrayMap((start, end, target) -> toUInt8(multiIf(start = 0, 0, end != 0, if(end - start <= target, 1, 5), ` +
      `{now:Int64} - start >= target, 4, {now:Int64} - start >= target * {atRisk:Float64}, 3, 2)), StepStarts, StepEnds, StepTargets) AS statuses`,
    `arrayMap((start, end) -> if(start = 0, toInt64(-1), if(end != 0, end - start, {now:Int64} - start)), StepStarts, StepEnds) AS stepDurationsMs`,
    `multiIf(Completed, if(Late, 'completed_late', 'completed'), DeadLetters > 0, 'failed', has(statuses, 4), 'breached', has(statuses, 3), 'at_risk', 'on_track') AS state`,
    `if(Completed, 0, arrayMax(arrayPushBack(arrayMap((start, end, target) -> if(start != 0 AND end = 0, ({now:Int64} - start) / target, 0), StepStarts, StepEnds, StepTargets), 0))) AS slaUsed`,
    `{now:Int64} - toUnixTimestamp64Milli(FirstSeen) AS ageMs`,
    `{now:Int64} - toUnixTimestamp64Milli(LastMilestoneAt) AS sinceLastMilestoneMs`,
  ].join(',\n    ');
  return { sql, params };
}

/** Current facts, one row per transaction, with optional pre-filters on stored columns. */
export const currentFacts = (where: string) => `SELECT * FROM transaction_facts_v1 FINAL ${where}`;
