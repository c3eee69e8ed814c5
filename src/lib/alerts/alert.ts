import { z } from 'zod';

/** How loud an alert is: critical pages the on-call, warning and info tell them. */
export const Severity = z.enum(['critical', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

/** Louder first, for picking a group's severity. */
export const severityRank: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** pending: the condition holds but not yet for the rule's `forMinutes`; firing; resolved. */
export const AlertState = z.enum(['pending', 'firing', 'resolved']);
export type AlertState = z.infer<typeof AlertState>;

/** Where an alert is: its rule, and the part of the business it is about. */
export interface AlertLabels {
  rule: string;
  process?: string;
  warehouse?: string;
  serviceClass?: string;
}

/** One of the transactions an alert is about, for the email and the console. */
export interface AffectedTransaction {
  correlationId: string;
  process: string;
  state: string;
  currentStep: string;
  warehouse: string;
  ageMs: number;
}

/** An alert as stored: one rule in one scope, from pending to resolved. */
export interface Alert {
  id: number;
  fingerprint: string;
  ruleId: string;
  /** The notification group it belongs to (see `groupKeyOf`). */
  groupKey: string;
  labels: AlertLabels;
  severity: Severity;
  state: AlertState;
  /** The measured value (a count, a percentage, minutes). */
  value: number;
  /** One sentence with the numbers, e.g. "37 orders stuck at wms-rest (more than 25 for 10 min)". */
  summary: string;
  affected: AffectedTransaction[];
  pendingSince: number;
  firingSince: number | null;
  lastTrueAt: number;
  resolvedAt: number | null;
  evaluatedAt: number;
}

/** Someone who receives alert email: a console user with an address. */
export interface Recipient {
  login: string;
  name: string;
  email: string;
}

/** What an email says: a group's first firing, a repeat, an escalation or its resolution. */
export const NoticeKind = z.enum(['firing', 'repeat', 'escalation', 'resolved']);
export type NoticeKind = z.infer<typeof NoticeKind>;

/** Everything one alert email is made from; the mail module turns it into subject, text and HTML. */
export interface Notice {
  kind: NoticeKind;
  groupId: number;
  groupKey: string;
  /** Where, for people: "wms-rest", "order_fulfillment", or the rule's name when it has no place. */
  where: string;
  severity: Severity;
  /** The group's alerts (firing ones for firing/repeat/escalation, the resolved ones for resolved). */
  alerts: (Alert & { ruleName: string; runbookUrl: string | null })[];
  recipient: Recipient;
  /** Who was notified before, for escalations ("not acknowledged by Ada within 15 min"). */
  escalatedFrom?: Recipient;
  /** Deep links. */
  links: { group: string; acknowledge: string | null; console: string };
  at: number;
}
