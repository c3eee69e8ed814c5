import type { AlertRule, ConditionKind, StoredRule } from '$lib/alerts';
import { defaultRules } from '$lib/alerts/rules/default-rules';
import { numberOf, text } from '../form-fields.server';
import { LABELS } from '../labels';
import { conditionFields, fieldsOf } from './condition-fields';

/**
 * A rule as the rule form posts it, ready for `RuleStore.save` to validate. Inputs are named by
 * the rule's own paths (`condition.windowMinutes`, `scope.warehouse`), so the store's messages
 * name the field they are about. Empty numbers stay undefined: "must be a number", not 0.
 */
export function ruleFromForm(form: FormData): unknown {
  const kind = text(form, 'condition.kind');
  const condition: Record<string, unknown> = { kind };
  if (kind in conditionFields) {
    for (const [name, field] of fieldsOf(kind as ConditionKind)) {
      condition[name] = field.type === 'checkbox' ? form.get(`condition.${name}`) === 'on' : numberOf(form, `condition.${name}`);
    }
  }
  const scope: Record<string, string> = {};
  for (const name of ['process', 'warehouse', 'serviceClass']) {
    const value = text(form, `scope.${name}`);
    if (value) scope[name] = value;
  }
  return {
    id: text(form, 'id'),
    name: text(form, 'name'),
    enabled: form.get('enabled') === 'on',
    severity: text(form, 'severity'),
    condition,
    scope,
    forMinutes: numberOf(form, 'forMinutes'),
    keepFiringMinutes: numberOf(form, 'keepFiringMinutes'),
    repeatMinutes: numberOf(form, 'repeatMinutes'),
    groupBy: form.getAll('groupBy').map(String).filter((label) => (LABELS as readonly string[]).includes(label)),
    schedule: text(form, 'schedule'),
    runbookUrl: text(form, 'runbookUrl') || null,
  };
}

/** A stored rule without its bookkeeping, as `save` takes it. */
export function definitionOf(stored: StoredRule): AlertRule {
  const { updatedBy: _by, updatedAt: _at, isDefault: _default, ...rule } = stored;
  return rule;
}

const shippedIds = new Set(defaultRules.map((rule) => rule.id));

/** Whether the console shipped a rule with this id (so it can be reset). */
export const isShipped = (id: string) => shippedIds.has(id);

/** What a new rule of `kind` starts as: the shipped rule of that kind's thresholds and timing, no id or name. */
export function starterRule(kind: ConditionKind, schedule: string): AlertRule {
  const shipped = defaultRules.find((rule) => rule.condition.kind === kind);
  return {
    id: '',
    name: '',
    enabled: true,
    severity: shipped?.severity ?? 'warning',
    condition: shipped ? shipped.condition : defaultConditions[kind],
    scope: {},
    forMinutes: shipped?.forMinutes ?? 5,
    keepFiringMinutes: shipped?.keepFiringMinutes ?? 2,
    repeatMinutes: shipped?.repeatMinutes ?? 240,
    groupBy: shipped?.groupBy ?? ['warehouse'],
    schedule,
    runbookUrl: null,
  };
}

// Only for a kind no shipped rule uses (today every kind has one).
const defaultConditions: Record<ConditionKind, AlertRule['condition']> = {
  stuck_transactions: { kind: 'stuck_transactions', above: 10 },
  sla_attainment: { kind: 'sla_attainment', belowPercent: 95, windowMinutes: 60, minSteps: 50 },
  sla_burn_rate: { kind: 'sla_burn_rate', targetPercent: 95, withinMinutes: 120, windowMinutes: 30, minSteps: 50 },
  dead_letter_growth: { kind: 'dead_letter_growth', atLeast: 20, growthBy: 10, windowMinutes: 15 },
  partner_health: { kind: 'partner_health', circuitOpen: true, errorRatePercent: 25, windowMinutes: 5, minCalls: 10 },
  reconciliation_differences: { kind: 'reconciliation_differences', above: 20, windowMinutes: 60 },
  telemetry_silence: { kind: 'telemetry_silence', silentMinutes: 10 },
};
