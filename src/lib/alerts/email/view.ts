import { duration } from '../../format';
import type { Notice, NoticeKind } from '../alert';

/** What templates and the fixed sections of an alert email are made from (see `templateVariables`). */
export interface NoticeView {
  kind: NoticeKind;
  status: 'FIRING' | 'REPEAT' | 'ESCALATED' | 'RESOLVED';
  severity: string;
  where: string;
  summary: string;
  count: number;
  several: boolean;
  rules: string;
  since: string;
  duration: string;
  at: string;
  recipient: string;
  escalatedFrom: string | null;
  alerts: AlertView[];
  transactions: TransactionView[];
  transactionCount: number;
  links: { group: string; acknowledge: string | null; console: string };
}

export interface AlertView {
  rule: string;
  summary: string;
  severity: string;
  value: string;
  since: string;
  duration: string;
  runbook: string | null;
}

export interface TransactionView {
  correlationId: string;
  process: string;
  state: string;
  step: string;
  warehouse: string;
  age: string;
  link: string;
}

/** At most this many transactions are listed, oldest first, across all the notice's alerts. */
export const MAX_TRANSACTIONS = 10;
/** At most this many alerts are listed; `count` still says how many there are. */
export const MAX_ALERTS = 25;

const statusWords: Record<NoticeKind, NoticeView['status']> = { firing: 'FIRING', repeat: 'REPEAT', escalation: 'ESCALATED', resolved: 'RESOLVED' };

/**
 * The view model of one notice. `now` is when the email is written (the notice's time unless
 * given); durations run to it, or to the resolution for resolved alerts.
 */
export function variablesOf(notice: Notice, now: number = notice.at): NoticeView {
  const consoleUrl = notice.links.console.replace(/\/+$/, '');
  const startOf = (alert: Notice['alerts'][number]) => alert.firingSince ?? alert.pendingSince;
  const endOf = (alert: Notice['alerts'][number]) => (notice.kind === 'resolved' ? (alert.resolvedAt ?? now) : now);
  const since = notice.alerts.length ? Math.min(...notice.alerts.map(startOf)) : notice.at;
  const end = notice.alerts.length ? Math.max(...notice.alerts.map(endOf)) : now;
  const affected = oldestAffected(notice);
  return {
    kind: notice.kind,
    status: statusWords[notice.kind],
    severity: notice.severity.toUpperCase(),
    where: notice.where,
    summary: notice.alerts[0]?.summary ?? `${notice.alerts.length} alerts`,
    count: notice.alerts.length,
    several: notice.alerts.length > 1,
    rules: [...new Set(notice.alerts.map((a) => a.ruleName))].join(', '),
    since: iso(since),
    duration: inWords(end - since),
    at: iso(notice.at),
    recipient: notice.recipient.name,
    escalatedFrom: notice.escalatedFrom?.name ?? null,
    alerts: notice.alerts.slice(0, MAX_ALERTS).map((alert) => ({
      rule: alert.ruleName,
      summary: alert.summary,
      severity: alert.severity.toUpperCase(),
      value: String(Math.round(alert.value * 100) / 100),
      since: iso(startOf(alert)),
      duration: inWords(endOf(alert) - startOf(alert)),
      runbook: alert.runbookUrl,
    })),
    transactions: affected.slice(0, MAX_TRANSACTIONS).map((tx) => ({
      correlationId: tx.correlationId,
      process: tx.process,
      state: tx.state,
      step: tx.currentStep,
      warehouse: tx.warehouse,
      age: inWords(tx.ageMs),
      link: `${consoleUrl}/transactions/${encodeURIComponent(tx.correlationId)}`,
    })),
    transactionCount: affected.length,
    links: { group: notice.links.group, acknowledge: notice.links.acknowledge, console: consoleUrl },
  };
}

// One transaction can be behind several alerts (stuck, and its partner's circuit open): list it once.
function oldestAffected(notice: Notice) {
  const byId = new Map<string, Notice['alerts'][number]['affected'][number]>();
  for (const tx of notice.alerts.flatMap((alert) => alert.affected)) {
    const seen = byId.get(tx.correlationId);
    if (!seen || tx.ageMs > seen.ageMs) byId.set(tx.correlationId, tx);
  }
  return [...byId.values()].sort((a, b) => b.ageMs - a.ageMs);
}

const iso = (ms: number) => new Date(ms).toISOString();

/** "less than a minute", "12 min", "2.5 h", "3.0 d". */
export const inWords = (ms: number) => (ms < 60_000 ? 'less than a minute' : duration(ms));
