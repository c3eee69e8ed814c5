import type { AlertBook, Finding } from '../alert-book';
import type { AlertGroups } from '../alert-groups';
import type { Alert } from '../alert';
import type { Measures, Observation } from '../measures';
import type { AlertRule } from '../rules/rule';
import type { RuleStore } from '../rules/rule-store';
import { fingerprintOf, groupKeyOf, transition } from './transitions';

export interface EvaluatorParts {
  rules: RuleStore;
  book: AlertBook;
  groups: AlertGroups;
  measures: Pick<Measures, 'observe' | 'sampleDeadLetters'>;
  /** Called once a pass has moved every alert, to tell people (the notifier). */
  afterPass?: (now: Date) => Promise<void> | void;
  onError?: (source: string, error: Error) => void;
  /** A source that had failed was measured again. */
  onRecovered?: (source: string) => void;
}

/**
 * One evaluation pass: every enabled rule is measured and each of its alerts moved through
 * pending → firing → resolved. A rule that cannot be measured (ClickHouse down) leaves its alerts
 * as they are; a disabled or deleted rule resolves its alerts.
 */
export async function evaluate(parts: EvaluatorParts, now = new Date()): Promise<{ rules: number; failed: number }> {
  const { book, measures } = parts;
  const at = now.getTime();
  measures.sampleDeadLetters(now);
  const rules = parts.rules.list();
  const activeByRule = new Map<string, Alert[]>();
  for (const alert of book.active()) activeByRule.set(alert.ruleId, [...(activeByRule.get(alert.ruleId) ?? []), alert]);

  let failed = 0;
  for (const rule of rules) {
    const active = activeByRule.get(rule.id) ?? [];
    activeByRule.delete(rule.id);
    if (!rule.enabled) {
      for (const alert of active) end(parts, alert, at, 'rule disabled');
      continue;
    }
    let findings: Finding[];
    try {
      findings = (await measures.observe(rule, now)).map((o) => findingOf(rule, o));
      parts.onRecovered?.(`rule ${rule.id}`);
    } catch (error) {
      failed++;
      parts.onError?.(`rule ${rule.id}`, error as Error);
      continue;
    }
    apply(parts, rule, active, findings, at);
  }
  // Alerts of rules that no longer exist.
  for (const alerts of activeByRule.values()) for (const alert of alerts) end(parts, alert, at, 'rule deleted');

  await parts.afterPass?.(now);
  return { rules: rules.length, failed };
}

function findingOf(rule: AlertRule, observation: Observation): Finding {
  // Only the labels that have a value, so `{warehouse: undefined}` and `{}` are the same alert.
  const labels: Finding['labels'] = { rule: rule.id };
  for (const [key, value] of Object.entries(observation.labels) as [keyof Observation['labels'], string | undefined][]) if (value) labels[key] = value;
  return {
    fingerprint: fingerprintOf(labels),
    ruleId: rule.id,
    groupKey: groupKeyOf(labels, rule.groupBy),
    labels,
    severity: rule.severity,
    value: observation.value,
    summary: observation.summary,
    affected: observation.affected,
  };
}

function apply(parts: EvaluatorParts, rule: AlertRule, active: Alert[], findings: Finding[], at: number) {
  const { book, groups } = parts;
  const byFingerprint = new Map(active.map((alert) => [alert.fingerprint, alert]));
  for (const finding of findings) {
    const current = byFingerprint.get(finding.fingerprint);
    byFingerprint.delete(finding.fingerprint);
    const step = transition(current && { state: current.state as 'pending' | 'firing', pendingSince: current.pendingSince, lastTrueAt: current.lastTrueAt }, true, rule, at);
    if (!current) {
      if (step === 'none') continue;
      const group = groups.openFor(finding.groupKey, rule.schedule, at);
      const alert = book.open(finding, step === 'fired' ? 'firing' : 'pending', at);
      book.record('pending', { groupId: group.id, alertId: alert.id, at, detail: { rule: rule.id, summary: finding.summary } });
      if (step === 'fired') book.record('firing', { groupId: group.id, alertId: alert.id, at, detail: { rule: rule.id, summary: finding.summary } });
      continue;
    }
    // A rule's groupBy may have changed: the alert moves to its new group.
    const group = groups.openFor(finding.groupKey, rule.schedule, at);
    book.refresh(current.id, finding, at, step === 'fired');
    if (step === 'fired') book.record('firing', { groupId: group.id, alertId: current.id, at, detail: { rule: rule.id, summary: finding.summary } });
  }
  // Alerts whose condition no longer holds.
  for (const alert of byFingerprint.values()) {
    const step = transition({ state: alert.state as 'pending' | 'firing', pendingSince: alert.pendingSince, lastTrueAt: alert.lastTrueAt }, false, rule, at);
    if (step === 'held') book.touch(alert.id, at);
    else end(parts, alert, at, 'condition cleared');
  }
}

/** Resolves an alert (cleared, when it never fired). */
function end({ book, groups }: EvaluatorParts, alert: Alert, at: number, reason: string) {
  book.resolve(alert.id, at);
  book.record(alert.state === 'firing' ? 'resolved' : 'cleared', { groupId: groups.current(alert.groupKey)?.id, alertId: alert.id, at, detail: { rule: alert.ruleId, reason, summary: alert.summary } });
}
