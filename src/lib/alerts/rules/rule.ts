import { z } from 'zod';
import { ServiceClass } from '../../integration/canonical/primitives';
import { ProcessName } from '../../processes/milestones';
import { Severity } from '../alert';

// Each check says what it wants; a schema-level `error` would answer every problem with one text.
const minutes = (max: number, min = 0) =>
  z
    .number({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a number of minutes') })
    .int('must be whole minutes')
    .min(min, `must be at least ${min} minute${min === 1 ? '' : 's'}`)
    .max(max, `must be at most ${max} minutes`);
const percent = z.number({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a percentage') }).min(0, 'must be 0 to 100').max(100, 'must be 0 to 100');
const count = z
  .number({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a number') })
  .int('must be a whole number')
  .min(0, 'must be 0 or more')
  .max(10_000_000, 'must be at most 10,000,000');

/** What a rule watches, with its thresholds. Each kind is measured by `measures/`. */
export const Condition = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('stuck_transactions'),
    /** Fires when more than this many transactions are stuck (past a step's SLA) in one warehouse. */
    above: count,
  }),
  z.object({
    kind: z.literal('sla_attainment'),
    /** Fires when attainment of the steps that started within the window is below this. */
    belowPercent: percent,
    windowMinutes: minutes(7 * 24 * 60, 5),
    /** Fewer judged steps than this say nothing either way. */
    minSteps: count.default(20),
  }),
  z.object({
    kind: z.literal('sla_burn_rate'),
    /** The day's target attainment (UTC day). */
    targetPercent: percent,
    /** Fires when, at the rate of the last `windowMinutes`, the day's target is lost within this many minutes. */
    withinMinutes: minutes(24 * 60, 1),
    windowMinutes: minutes(24 * 60, 5),
    minSteps: count.default(20),
  }),
  z.object({
    kind: z.literal('dead_letter_growth'),
    /** Fires when at least this many dead letters are open... */
    atLeast: count,
    /** ...and this many more than `windowMinutes` ago. */
    growthBy: count,
    windowMinutes: minutes(24 * 60, 1),
  }),
  z.object({
    kind: z.literal('partner_health'),
    /** Fires for a partner whose circuit is open, when set. */
    circuitOpen: z.boolean(),
    /** ...or whose calls failed at least this often over the window (with at least `minCalls`). */
    errorRatePercent: percent,
    windowMinutes: minutes(24 * 60, 1),
    minCalls: count.default(10),
  }),
  z.object({
    kind: z.literal('reconciliation_differences'),
    /** Fires when reconciliation raised more than this many differences in one warehouse within the window. */
    above: count,
    windowMinutes: minutes(7 * 24 * 60, 5),
  }),
  z.object({
    kind: z.literal('telemetry_silence'),
    /** Fires when the collector has accepted no span for this long: silence is an alert too. */
    silentMinutes: minutes(24 * 60, 1),
  }),
]);
export type Condition = z.infer<typeof Condition>;
export type ConditionKind = Condition['kind'];

/** Which part of the business a rule looks at; unset means all. */
export const Scope = z
  .object({
    process: ProcessName.optional(),
    warehouse: z.string().trim().min(1).max(64).optional(),
    serviceClass: ServiceClass.optional(),
  })
  .strict();
export type Scope = z.infer<typeof Scope>;

/** The labels alerts are grouped by into one notification ("one email for one incident"). */
export const GroupLabel = z.enum(['rule', 'warehouse', 'process', 'serviceClass']);
export type GroupLabel = z.infer<typeof GroupLabel>;

export const RuleId = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes');

export const AlertRule = z
  .object({
    id: RuleId,
    name: z.string().trim().min(3, 'must be at least 3 characters').max(120),
    enabled: z.boolean(),
    severity: Severity,
    condition: Condition,
    scope: Scope.default({}),
    /** How long the condition must hold before the alert fires (pending until then). */
    forMinutes: minutes(24 * 60),
    /** How long it must be clear before the alert resolves, so a flapping signal is one alert. */
    keepFiringMinutes: minutes(24 * 60).default(2),
    /** Unacknowledged firing alerts are sent again this often; 0 never repeats. */
    repeatMinutes: minutes(7 * 24 * 60).default(240),
    /** Alerts with the same values of these labels share one notification. */
    groupBy: z.array(GroupLabel).min(1).max(4).default(['warehouse']),
    /** The on-call schedule that is notified. */
    schedule: z.string().min(1).max(64).default('primary'),
    runbookUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(500).nullable().default(null),
  })
  .strict();
export type AlertRule = z.infer<typeof AlertRule>;
export type AlertRuleInput = z.input<typeof AlertRule>;

/** What a rule watches, in one line for people. */
export function describeCondition(condition: Condition): string {
  switch (condition.kind) {
    case 'stuck_transactions':
      return `more than ${condition.above} transactions stuck past their SLA in a warehouse`;
    case 'sla_attainment':
      return `SLA attainment below ${condition.belowPercent}% over ${condition.windowMinutes} min`;
    case 'sla_burn_rate':
      return `at the last ${condition.windowMinutes} min's rate, the day's ${condition.targetPercent}% SLA is lost within ${condition.withinMinutes} min`;
    case 'dead_letter_growth':
      return `at least ${condition.atLeast} dead letters open and ${condition.growthBy} more than ${condition.windowMinutes} min ago`;
    case 'partner_health':
      return `${condition.circuitOpen ? 'circuit open or ' : ''}error rate at least ${condition.errorRatePercent}% over ${condition.windowMinutes} min`;
    case 'reconciliation_differences':
      return `more than ${condition.above} reconciliation differences in a warehouse within ${condition.windowMinutes} min`;
    case 'telemetry_silence':
      return `no span received for ${condition.silentMinutes} min`;
  }
}
