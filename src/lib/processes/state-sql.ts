import { ServiceClass } from '../integration/canonical/primitives';
import { milestones, ProcessName } from './milestones';
import { AT_RISK_RATIO, effectiveSlas, type SlaDefinition } from './slas';

/** SQL expressions over one merged `process_transactions_v1` row, and the parameters they use. */
export interface StateSql {
  /**
   * Select-list entries: `state`, `currentStep`, `warehouse`, `slaUsed`, `ageMs`,
   * `sinceLastMilestoneMs`, and per applicable step (parallel arrays) `statuses`, `stepNames`,
   * `stepTargetsMs`, `stepStartsMs` and `stepDurationsMs` (elapsed so far when still open).
   */
  columns: string;
  params: Record<string, unknown>;
}

// Per-step status codes inside the SQL: 0 not started, 1 met, 2 on track, 3 at risk, 4 breached, 5 late.

/**
 * Builds the SQL that classifies transactions, from the SLA definitions. The definitions travel
 * as a table of (process, class, from, to, target, name) in array parameters; each row picks the
 * entries for its process and service class and judges them with array functions. Everything
 * variable is a query parameter, never spliced text, so the definitions can come from
 * configuration safely. Expects the merged row's columns `Process`, `SC` (service class), `M`
 * (milestones map), `W` (warehouses map), `FirstSeen` and `DeadLetters`.
 *
 * The state is computed when read, against `now`: a milestone that arrives after a step was
 * judged breached turns it into met or late on the next read.
 */
export function transactionStateSql(slas: SlaDefinition[], now: Date): StateSql {
  const table: [string, string, string, string, number, string][] = [];
  for (const process of ProcessName.options)
    for (const serviceClass of ServiceClass.options)
      for (const sla of effectiveSlas(slas, process, serviceClass))
        table.push([process, serviceClass, sla.from, sla.to, sla.targetMs, `${sla.from}→${sla.to}`]);
  const processes = ProcessName.options;
  const params = {
    now: now.getTime(),
    atRisk: AT_RISK_RATIO,
    // Parallel arrays (zipped in SQL): the client has no plain-array form for tuples.
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
  const columns = [
    `arrayFilter(s -> s.1 = Process AND s.2 = SC, arrayZip({slaProcess:Array(String)}, {slaClass:Array(String)}, {slaFrom:Array(String)}, ` +
      `{slaTo:Array(String)}, {slaTarget:Array(Int64)}, {slaName:Array(String)})) AS applicable`,
    `arrayMap(s -> ${at('s.3')}, applicable) AS stepStartsMs`,
    `arrayMap(s -> ${at('s.4')}, applicable) AS stepEndsMs`,
    `arrayMap(s -> s.5, applicable) AS stepTargetsMs`,
    `arrayMap(s -> s.6, applicable) AS stepNames`,
    `arrayMap((start, end, target) -> toUInt8(multiIf(start = 0, 0, end != 0, if(end - start <= target, 1, 5), ` +
      `{now:Int64} - start >= target, 4, {now:Int64} - start >= target * {atRisk:Float64}, 3, 2)), stepStartsMs, stepEndsMs, stepTargetsMs) AS statuses`,
    `arrayMap((start, end) -> if(start = 0, toInt64(-1), if(end != 0, end - start, {now:Int64} - start)), stepStartsMs, stepEndsMs) AS stepDurationsMs`,
    `arrayMax(arrayPushBack(arrayMap((start, end, target) -> if(start != 0 AND end = 0, ({now:Int64} - start) / target, 0), stepStartsMs, stepEndsMs, stepTargetsMs), 0)) AS slaUsed`,
    `indexOf({processes:Array(String)}, Process) AS processIndex`,
    `processIndex > 0 AND mapContains(M, {finals:Array(String)}[processIndex]) AS completed`,
    `multiIf(completed AND has(statuses, 5), 'completed_late', completed, 'completed', DeadLetters > 0, 'failed', ` +
      `has(statuses, 4), 'breached', has(statuses, 3), 'at_risk', 'on_track') AS state`,
    `if(empty(M) OR processIndex = 0, '', {orders:Array(Array(String))}[processIndex][toUInt64(greatest(1, arrayMax(arrayMap(m -> indexOf({orders:Array(Array(String))}[processIndex], m), mapKeys(M)))))]) AS currentStep`,
    `if(empty(W), '', mapKeys(W)[indexOf(mapValues(W), arrayMax(mapValues(W)))]) AS warehouse`,
    `{now:Int64} - toUnixTimestamp64Milli(FirstSeen) AS ageMs`,
    `{now:Int64} - toUnixTimestamp64Milli(if(empty(M), FirstSeen, arrayMax(mapValues(M)))) AS sinceLastMilestoneMs`,
  ].join(',\n    ');
  return { columns, params };
}

/** The merged transactions, one row per process and correlation id, with optional pre-filters. */
export const mergedTransactions = (where: string) => `
  SELECT Process, CorrelationId,
    minMap(Milestones) AS M, min(FirstSeen) AS FirstSeen, max(LastSeen) AS LastSeen,
    maxMap(Warehouses) AS W, if(max(ServiceClass) = '', 'standard', max(ServiceClass)) AS SC,
    sum(Spans) AS Spans, sum(Errors) AS Errors, sum(DeadLetters) AS DeadLetters,
    sumMap(ErrorCategories) AS Categories
  FROM process_transactions_v1
  ${where}
  GROUP BY Process, CorrelationId`;
