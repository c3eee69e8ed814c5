import type { Alert, Notice, NoticeKind, Recipient } from '../alert';
import { severityRank } from '../alert';
import type { AlertBook } from '../alert-book';
import type { AlertGroup, AlertGroups } from '../alert-groups';
import type { AlertRule } from '../rules/rule';
import type { SilenceBook } from '../silences';

const MINUTE = 60_000;

/** Who is responsible for a schedule's escalation level at a time. */
export interface EscalationLevel {
  /** For people: "on call (ada)", "next in rotation (bob)", "cleo". */
  step: string;
  recipients: Recipient[];
  /** People who would be told but cannot be (no e-mail address, disabled, unknown). */
  missing: { login: string; reason: string }[];
}

/** What the notifier needs from on-call, mail and the console, so each can be tested apart. */
export interface NotifierPorts {
  /** Level 0 is whoever is on call; undefined when the schedule has no such level (or no schedule). */
  escalationLevel(scheduleId: string, level: number, at: Date): EscalationLevel | undefined;
  /** Minutes a firing group may stay unacknowledged before the next level; undefined: never escalate. */
  ackMinutes(scheduleId: string): number | undefined;
  recipientsByLogin(logins: string[]): Recipient[];
  /** Composes the email and puts it in the outbox (never sends inline: SMTP must not block evaluation). */
  send(notice: Notice): void;
  links(group: AlertGroup, recipient: Recipient): Notice['links'];
  /** A rule's runbook link (its own, or the console's runbook for its kind). */
  runbookOf(rule: AlertRule): string;
}

/**
 * Tells people about alert groups after each evaluation: the first firing to whoever is on call,
 * a repeat every `repeatMinutes` while nobody acknowledges, escalation along the schedule's chain
 * when nobody acknowledges within its `ackMinutes`, and the resolution to everyone told before.
 * Silenced alerts (silences, maintenance windows) are evaluated but tell no one.
 */
export class Notifier {
  // Groups whose suppression was already recorded, so the history says it once.
  private readonly suppressed = new Set<number>();

  constructor(
    private readonly parts: { book: AlertBook; groups: AlertGroups; silences: SilenceBook; rules: () => AlertRule[] },
    private readonly ports: NotifierPorts,
  ) {}

  pass(now = new Date()): void {
    const rules = new Map(this.parts.rules().map((rule) => [rule.id, rule]));
    for (const group of this.parts.groups.open()) this.consider(group, rules, now);
  }

  private consider(group: AlertGroup, rules: Map<string, AlertRule>, now: Date) {
    const { book, groups, silences } = this.parts;
    const at = now.getTime();
    const active = book.activeInGroup(group.groupKey);
    if (active.length === 0) {
      if (group.firstNotifiedAt !== null) {
        const fired = book.firedInGroup(group.groupKey, group.openedAt);
        const recipients = this.ports.recipientsByLogin(group.notified);
        for (const recipient of recipients) this.send('resolved', group, fired, rules, recipient, now);
        book.record('resolved_notified', { groupId: group.id, at, detail: { to: recipients.map((r) => r.login), alerts: fired.length } });
      }
      groups.resolve(group.id, at);
      this.suppressed.delete(group.id);
      return;
    }
    const firing = active.filter((alert) => alert.state === 'firing');
    if (firing.length === 0) return;
    const silencedBy = firing.map((alert) => silences.matching(alert.labels, at)[0]);
    const loud = firing.filter((_, i) => silencedBy[i] === undefined);
    if (loud.length === 0) {
      if (!this.suppressed.has(group.id)) {
        this.suppressed.add(group.id);
        const silence = silencedBy[0];
        book.record('suppressed', { groupId: group.id, at, detail: { silence: silence?.id, kind: silence?.kind, reason: silence?.reason } });
      }
      return;
    }
    this.suppressed.delete(group.id);

    if (group.firstNotifiedAt === null) return this.notifyLevel(group, 0, 'firing', loud, rules, now);
    if (group.acknowledgedBy) return;

    const ackMinutes = this.ports.ackMinutes(group.scheduleId);
    const waitingSince = group.escalatedAt ?? group.firstNotifiedAt;
    if (ackMinutes !== undefined && at - waitingSince >= ackMinutes * MINUTE) {
      if (this.notifyLevel(group, group.escalationLevel + 1, 'escalation', loud, rules, now)) return;
    }
    const repeat = Math.min(...loud.map((alert) => rules.get(alert.ruleId)?.repeatMinutes || Infinity));
    if (Number.isFinite(repeat) && at - (group.lastNotifiedAt ?? 0) >= repeat * MINUTE) {
      const recipients = this.ports.recipientsByLogin(group.notified);
      for (const recipient of recipients) this.send('repeat', group, loud, rules, recipient, now);
      groups.notified(group.id, [], at);
      book.record('repeated', { groupId: group.id, at, detail: { to: recipients.map((r) => r.login) } });
    }
  }

  /** Tells one escalation level; false when the schedule has no such level. */
  private notifyLevel(group: AlertGroup, level: number, kind: 'firing' | 'escalation', alerts: Alert[], rules: Map<string, AlertRule>, now: Date): boolean {
    const { book, groups } = this.parts;
    const at = now.getTime();
    const target = this.ports.escalationLevel(group.scheduleId, level, now);
    if (!target) {
      if (level === 0) {
        // Nobody to tell: recorded once, and the group counts as notified so it is not retried every pass.
        book.record('undeliverable', { groupId: group.id, at, detail: { reason: `no on-call schedule "${group.scheduleId}"` } });
        groups.notified(group.id, [], at);
      }
      return false;
    }
    const previous = kind === 'escalation' ? this.ports.recipientsByLogin(group.notified)[0] : undefined;
    for (const recipient of target.recipients) this.send(kind, group, alerts, rules, recipient, now, previous);
    if (target.missing.length > 0 || target.recipients.length === 0) {
      book.record('undeliverable', { groupId: group.id, at, detail: { step: target.step, missing: target.missing } });
    }
    const logins = target.recipients.map((r) => r.login);
    if (kind === 'escalation') {
      groups.escalated(group.id, level, logins, at);
      book.record('escalated', { groupId: group.id, at, detail: { level, step: target.step, to: logins } });
    } else {
      groups.notified(group.id, logins, at);
      book.record('notified', { groupId: group.id, at, detail: { step: target.step, to: logins, alerts: alerts.map((a) => a.id) } });
    }
    return true;
  }

  private send(kind: NoticeKind, group: AlertGroup, alerts: Alert[], rules: Map<string, AlertRule>, recipient: Recipient, now: Date, escalatedFrom?: Recipient) {
    const withRules = alerts.map((alert) => {
      const rule = rules.get(alert.ruleId);
      return { ...alert, ruleName: rule?.name ?? alert.ruleId, runbookUrl: rule ? this.ports.runbookOf(rule) : null };
    });
    const severity = [...alerts].sort((a, b) => severityRank[a.severity] - severityRank[b.severity])[0]?.severity ?? 'warning';
    this.ports.send({
      kind,
      groupId: group.id,
      groupKey: group.groupKey,
      where: whereOf(group.groupKey, withRules),
      severity,
      alerts: withRules,
      recipient,
      escalatedFrom,
      links: this.ports.links(group, recipient),
      at: now.getTime(),
    });
  }
}

/** "wms-rest" for `warehouse=wms-rest`; a rule's name for a group keyed by rule. */
export function whereOf(groupKey: string, alerts: { ruleId: string; ruleName: string }[]): string {
  return groupKey
    .split(',')
    .map((part) => {
      const [label, value] = part.split('=');
      return label === 'rule' ? (alerts.find((a) => a.ruleId === value)?.ruleName ?? value) : value;
    })
    .join(' · ');
}
