import { severityRank, type Alert, type AlertGroup, type Alerting, type StoredRule } from '$lib/alerts';
import { whereOf } from '$lib/alerts/notify/notifier';
import { escalationStep } from '$lib/alerts/oncall/schedule';
import { labelsOfGroupKey, runbookOf } from './labels';
import type { AlertView, GroupView } from './types';

const MINUTE = 60_000;

export const rulesById = (alerting: Alerting) => new Map(alerting.rules.list().map((rule) => [rule.id, rule]));

export function alertView(alerting: Alerting, rules: Map<string, StoredRule>, alert: Alert, now: number): AlertView {
  const rule = rules.get(alert.ruleId);
  const silence = alert.state === 'resolved' ? undefined : alerting.silences.matching(alert.labels, now)[0];
  return {
    id: alert.id,
    ruleId: alert.ruleId,
    ruleName: rule?.name ?? alert.ruleId,
    severity: alert.severity,
    state: alert.state,
    value: alert.value,
    summary: alert.summary,
    labels: alert.labels,
    pendingSince: alert.pendingSince,
    firingSince: alert.firingSince,
    resolvedAt: alert.resolvedAt,
    firesAt: alert.state === 'pending' && rule ? alert.pendingSince + rule.forMinutes * MINUTE : null,
    silencedBy: silence ? { id: silence.id, kind: silence.kind, reason: silence.reason, endsAt: silence.endsAt } : null,
    affectedCount: alert.affected.length,
    runbook: rule ? runbookOf(rule) : '/alerts/runbook',
  };
}

function escalationWords(alerting: Alerting, group: AlertGroup, now: number): string {
  const schedule = alerting.schedules.get(group.scheduleId);
  if (!schedule) return `no on-call schedule "${group.scheduleId}"`;
  if (group.escalationLevel === 0) return `not escalated (on call in ${schedule.name})`;
  return escalationStep(schedule, group.escalationLevel, new Date(now))?.step ?? `escalation step ${group.escalationLevel}`;
}

/** A group with `alerts` (its active ones, or those it had), the loudest and firing first. */
export function groupView(alerting: Alerting, rules: Map<string, StoredRule>, group: AlertGroup, alerts: Alert[], now: number): GroupView {
  const views = alerts
    .map((alert) => alertView(alerting, rules, alert, now))
    .sort((a, b) => stateRank(a) - stateRank(b) || severityRank[a.severity] - severityRank[b.severity] || a.pendingSince - b.pendingSince);
  return {
    id: group.id,
    groupKey: group.groupKey,
    where: whereOf(group.groupKey, views),
    labels: labelsOfGroupKey(group.groupKey),
    status: group.status,
    firing: views.some((a) => a.state === 'firing'),
    severity: views[0]?.severity ?? 'info',
    openedAt: group.openedAt,
    resolvedAt: group.resolvedAt,
    acknowledgedBy: group.acknowledgedBy,
    acknowledgedAt: group.acknowledgedAt,
    escalationLevel: group.escalationLevel,
    escalatedAt: group.escalatedAt,
    escalation: escalationWords(alerting, group, now),
    notified: group.notified,
    scheduleId: group.scheduleId,
    alerts: views,
  };
}

const stateRank = (alert: AlertView) => ({ firing: 0, pending: 1, resolved: 2 })[alert.state];

/**
 * The alerts a group is or was about: while open, its pending and firing alerts and those that
 * fired and resolved since it opened; once resolved, those that fired while it was open.
 */
export function alertsOfGroup(alerting: Alerting, group: AlertGroup): Alert[] {
  const fired = alerting.book.firedInGroup(group.groupKey, group.openedAt);
  if (group.status === 'resolved') return fired.filter((alert) => alert.firingSince! <= group.resolvedAt!);
  const byId = new Map([...fired, ...alerting.book.activeInGroup(group.groupKey)].map((alert) => [alert.id, alert]));
  return [...byId.values()];
}
