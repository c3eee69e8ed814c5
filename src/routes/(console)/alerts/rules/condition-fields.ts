import type { Condition, ConditionKind } from '$lib/alerts';

/** One parameter of a condition as the rule form shows it. */
export interface ConditionField {
  label: string;
  type: 'number' | 'checkbox';
  /** For numbers: the unit after the input. */
  unit?: string;
  hint?: string;
}

type FieldsOf<K extends ConditionKind> = Record<Exclude<keyof Extract<Condition, { kind: K }>, 'kind'>, ConditionField>;

/**
 * The typed inputs of each condition kind. The mapped type makes every parameter of every kind
 * appear here, so a parameter added to `Condition` cannot be forgotten by the form.
 */
export const conditionFields: { [K in ConditionKind]: FieldsOf<K> } = {
  stuck_transactions: {
    above: { label: 'More than', type: 'number', unit: 'transactions stuck past their SLA in one warehouse' },
  },
  sla_attainment: {
    belowPercent: { label: 'Attainment below', type: 'number', unit: '%' },
    windowMinutes: { label: 'Over the last', type: 'number', unit: 'min (at least 5)' },
    minSteps: { label: 'At least', type: 'number', unit: 'judged steps', hint: 'fewer say nothing either way' },
  },
  sla_burn_rate: {
    targetPercent: { label: "The day's target", type: 'number', unit: '% attainment (UTC day)' },
    withinMinutes: { label: 'Is lost within', type: 'number', unit: 'min' },
    windowMinutes: { label: 'At the rate of the last', type: 'number', unit: 'min' },
    minSteps: { label: 'At least', type: 'number', unit: 'judged steps in that window' },
  },
  dead_letter_growth: {
    atLeast: { label: 'At least', type: 'number', unit: 'dead letters open' },
    growthBy: { label: 'And', type: 'number', unit: 'more than' },
    windowMinutes: { label: '', type: 'number', unit: 'min ago' },
  },
  partner_health: {
    circuitOpen: { label: 'Circuit open', type: 'checkbox', hint: 'fire as soon as the runtime opens a partner’s circuit' },
    errorRatePercent: { label: 'Or an error rate of at least', type: 'number', unit: '%' },
    windowMinutes: { label: 'Over the last', type: 'number', unit: 'min' },
    minCalls: { label: 'With at least', type: 'number', unit: 'calls in that window' },
  },
  reconciliation_differences: {
    above: { label: 'More than', type: 'number', unit: 'differences in one warehouse' },
    windowMinutes: { label: 'Within', type: 'number', unit: 'min (at least 5)' },
  },
  telemetry_silence: {
    silentMinutes: { label: 'No span received for', type: 'number', unit: 'min' },
  },
};

/** Each kind in a few words, for the kind chooser. */
export const kindWords: Record<ConditionKind, string> = {
  stuck_transactions: 'Transactions stuck past their SLA',
  sla_attainment: 'SLA attainment below a target',
  sla_burn_rate: "Today's SLA about to be lost (burn rate)",
  dead_letter_growth: 'Dead letters piling up',
  partner_health: 'Partner unavailable or failing',
  reconciliation_differences: 'Reconciliation differences',
  telemetry_silence: 'No telemetry arriving',
};

/** The fields of one kind, as [name, field] pairs in the order above. */
export const fieldsOf = (kind: ConditionKind): [string, ConditionField][] => Object.entries(conditionFields[kind]);
