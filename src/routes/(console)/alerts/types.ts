import type { Alert, AlertGroup, Severity } from '$lib/alerts';

/** One alert as the alert pages show it: its rule's name, since when, and whether a silence covers it. */
export interface AlertView {
  id: number;
  ruleId: string;
  ruleName: string;
  severity: Severity;
  state: Alert['state'];
  value: number;
  summary: string;
  labels: Alert['labels'];
  pendingSince: number;
  firingSince: number | null;
  resolvedAt: number | null;
  /** For a pending alert, when it fires if its condition still holds (the rule's `forMinutes`). */
  firesAt: number | null;
  /** The silence or maintenance window in force that covers it, if any. */
  silencedBy: { id: number; kind: 'silence' | 'maintenance'; reason: string; endsAt: number } | null;
  affectedCount: number;
  runbook: string;
}

/** One notification group with its alerts. */
export interface GroupView {
  id: number;
  groupKey: string;
  /** For people: "wms-rest", or the rule's name for a group keyed by rule. */
  where: string;
  labels: Partial<Alert['labels']>;
  status: AlertGroup['status'];
  firing: boolean;
  severity: Severity;
  openedAt: number;
  resolvedAt: number | null;
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
  escalationLevel: number;
  escalatedAt: number | null;
  /** The escalation level in words: "on call in Primary", "escalation step 1: cleo". */
  escalation: string;
  notified: string[];
  scheduleId: string;
  alerts: AlertView[];
}
