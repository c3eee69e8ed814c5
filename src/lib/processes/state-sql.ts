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
const MET = 1;
const AT_RISK = 3;
const BREACHED = 4;
const LATE = 5;

/**
 * Builds the SQL that classifies transactions, from the SLA definitions. Everything variable is
 * a query parameter (milestone names, targets, `now`), never spliced text, so the definitions
 * can come from configuration safely. Expects the merged row's columns `Process`, `SC` (service
 * class), `M` (milestones map), `W` (warehouses map) and `DeadLetters`.
 *
 * The state is computed when read, against `now`: a milestone that arrives after a step was
 * judged breached turns it into met or late on the next read.
 */
export function transactionStateSql(slas: SlaDefinition[], now: Date): StateSql {
  const params: Record<string, unknown> = { now: now.getTime(), atRisk: AT_RISK_RATIO };
  const nowExpr = 'fromUnixTimestamp64Milli({now:Int64})';
  let n = 0;
  const param = (value: unknown, type: string) => {
    const name = `p${n++}`;
    params[name] = value;
    return `{${name}:${type}}`;
  };

  const statusBranches: string[] = [];
  const usedBranches: string[] = [];
  const nameBranches: string[] = [];
  const targetBranches: string[] = [];
  const startBranches: string[] = [];
  const durationBranches: string[] = [];
  for (const process of ProcessName.options)
    for (const serviceClass of ServiceClass.options) {
      const steps = effectiveSlas(slas, process, serviceClass);
      if (steps.length === 0) continue;
      const when = `Process = ${param(process, 'String')} AND SC = ${param(serviceClass, 'String')}`;
      const statuses: string[] = [];
      const used: string[] = [];
      const names: string[] = [];
      const targets: string[] = [];
      const starts: string[] = [];
      const durations: string[] = [];
      for (const sla of steps) {
        const from = param(sla.from, 'String');
        const to = param(sla.to, 'String');
        const target = param(sla.targetMs, 'UInt64');
        const open = `dateDiff('millisecond', M[${from}], ${nowExpr})`;
        names.push(param(`${sla.from}→${sla.to}`, 'String'));
        targets.push(`toInt64(${target})`);
        starts.push(`if(mapContains(M, ${from}), toUnixTimestamp64Milli(M[${from}]), toInt64(0))`);
        durations.push(
          `toInt64(if(NOT mapContains(M, ${from}), -1, if(mapContains(M, ${to}), dateDiff('millisecond', M[${from}], M[${to}]), ${open})))`,
        );
        statuses.push(
          `if(NOT mapContains(M, ${from}), 0, if(mapContains(M, ${to}), ` +
            `if(dateDiff('millisecond', M[${from}], M[${to}]) <= ${target}, ${MET}, ${LATE}), ` +
            `multiIf(${open} >= ${target}, ${BREACHED}, ${open} >= ${target} * {atRisk:Float64}, ${AT_RISK}, 2)))`,
        );
        used.push(`if(mapContains(M, ${from}) AND NOT mapContains(M, ${to}), ${open} / ${target}, 0)`);
      }
      statusBranches.push(when, `[${statuses.map((s) => `toUInt8(${s})`).join(', ')}]`);
      usedBranches.push(when, `[${used.map((u) => `toFloat64(${u})`).join(', ')}]`);
      nameBranches.push(when, `[${names.join(', ')}]`);
      targetBranches.push(when, `[${targets.join(', ')}]`);
      startBranches.push(when, `[${starts.join(', ')}]`);
      durationBranches.push(when, `[${durations.join(', ')}]`);
    }

  const completedBranches: string[] = [];
  const stepBranches: string[] = [];
  for (const process of ProcessName.options) {
    const order = milestones[process];
    const p = param(process, 'String');
    const orderParam = param(order, 'Array(String)');
    completedBranches.push(`Process = ${p}`, `mapContains(M, ${param(order[order.length - 1], 'String')})`);
    stepBranches.push(`Process = ${p}`, `arrayElement(${orderParam}, toUInt64(greatest(1, arrayMax(arrayMap(m -> indexOf(${orderParam}, m), mapKeys(M))))))`);
  }

  const perStep = (branches: string[], type: string) =>
    branches.length ? `multiIf(${branches.join(', ')}, CAST([], '${type}'))` : `CAST([], '${type}')`;
  const used = perStep(usedBranches, 'Array(Float64)');
  const columns = [
    `${perStep(statusBranches, 'Array(UInt8)')} AS statuses`,
    `${perStep(nameBranches, 'Array(String)')} AS stepNames`,
    `${perStep(targetBranches, 'Array(Int64)')} AS stepTargetsMs`,
    `${perStep(startBranches, 'Array(Int64)')} AS stepStartsMs`,
    `${perStep(durationBranches, 'Array(Int64)')} AS stepDurationsMs`,
    `multiIf(${completedBranches.join(', ')}, false) AS completed`,
    `multiIf(completed AND has(statuses, ${LATE}), 'completed_late', completed, 'completed', DeadLetters > 0, 'failed', ` +
      `has(statuses, ${BREACHED}), 'breached', has(statuses, ${AT_RISK}), 'at_risk', 'on_track') AS state`,
    `if(empty(M), '', multiIf(${stepBranches.join(', ')}, '')) AS currentStep`,
    `if(empty(W), '', mapKeys(W)[indexOf(mapValues(W), arrayMax(mapValues(W)))]) AS warehouse`,
    `arrayMax(arrayPushBack(${used}, 0)) AS slaUsed`,
    `dateDiff('millisecond', FirstSeen, ${nowExpr}) AS ageMs`,
    `dateDiff('millisecond', if(empty(M), FirstSeen, arrayMax(mapValues(M))), ${nowExpr}) AS sinceLastMilestoneMs`,
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
