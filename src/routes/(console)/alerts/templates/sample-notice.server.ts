import { severityRank, type Alert, type Alerting, type Notice, type NoticeKind, type Recipient } from '$lib/alerts';
import { whereOf } from '$lib/alerts/notify/notifier';

const MINUTE = 60_000;

/**
 * A notice to preview templates with: the first firing alert group if there is one (so the
 * preview shows today's numbers), otherwise a made-up but realistic one, a WMS whose orders are
 * stuck. The acknowledge link is an example, never a signed token: a preview must not hand out
 * a credential.
 */
export function sampleNotice(alerts: Alerting, kind: NoticeKind, recipient: Recipient, base: string, now: number): { notice: Notice; real: boolean } {
  const rules = new Map(alerts.rules.list().map((rule) => [rule.id, rule]));
  const active = alerts.book.active().filter((alert) => alert.state === 'firing');
  const group = alerts.groups.open().find((g) => active.some((alert) => alert.groupKey === g.groupKey));
  const chosen = group ? active.filter((alert) => alert.groupKey === group.groupKey) : madeUp(now);
  const resolved = kind === 'resolved';
  const withRules = chosen.map((alert) => {
    const rule = rules.get(alert.ruleId);
    return {
      ...alert,
      ...(resolved ? { state: 'resolved' as const, resolvedAt: now } : {}),
      ruleName: rule?.name ?? 'Orders stuck past their SLA',
      runbookUrl: rule?.runbookUrl ?? `${base}/alerts/runbook#${rule?.condition.kind ?? 'stuck_transactions'}`,
    };
  });
  const groupId = group?.id ?? 42;
  const groupKey = group?.groupKey ?? 'warehouse=wms-rest';
  return {
    real: group !== undefined,
    notice: {
      kind,
      groupId,
      groupKey,
      where: whereOf(groupKey, withRules),
      severity: [...withRules].sort((a, b) => severityRank[a.severity] - severityRank[b.severity])[0].severity,
      alerts: withRules,
      recipient,
      escalatedFrom: kind === 'escalation' ? { login: 'previous-oncall', name: 'Sam Rivera', email: 'sam.rivera@example.com' } : undefined,
      links: { group: `${base}/alerts/${groupId}`, acknowledge: resolved ? null : `${base}/ack/example-link-signed-for-each-recipient`, console: base },
      at: now,
    },
  };
}

function madeUp(now: number): Alert[] {
  const affected = [
    { correlationId: 'S04117', process: 'order_fulfillment', state: 'breached', currentStep: 'sent_to_warehouse', warehouse: 'wms-rest', ageMs: 47 * MINUTE },
    { correlationId: 'S04121', process: 'order_fulfillment', state: 'breached', currentStep: 'sent_to_warehouse', warehouse: 'wms-rest', ageMs: 41 * MINUTE },
    { correlationId: 'S04130', process: 'order_fulfillment', state: 'at_risk', currentStep: 'routed', warehouse: 'wms-rest', ageMs: 18 * MINUTE },
  ];
  const base = { groupKey: 'warehouse=wms-rest', pendingSince: now - 17 * MINUTE, firingSince: now - 12 * MINUTE, lastTrueAt: now, resolvedAt: null, evaluatedAt: now, state: 'firing' as const };
  return [
    {
      ...base,
      id: 1,
      fingerprint: 'sample-stuck',
      ruleId: 'stuck-orders',
      labels: { rule: 'stuck-orders', warehouse: 'wms-rest', process: 'order_fulfillment' },
      severity: 'critical',
      value: 37,
      summary: '37 orders stuck past their SLA at wms-rest (more than 10)',
      affected,
    },
    {
      ...base,
      id: 2,
      fingerprint: 'sample-partner',
      ruleId: 'partner-down',
      labels: { rule: 'partner-down', warehouse: 'wms-rest' },
      severity: 'critical',
      value: 100,
      summary: 'circuit to wms-rest open; 100% of 64 calls failed over 5 min',
      affected: [],
      pendingSince: now - 15 * MINUTE,
      firingSince: now - 14 * MINUTE,
    },
  ];
}
