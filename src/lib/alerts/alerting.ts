import type { SmtpConfig } from '../config';
import { ProblemReporter, startPeriodic } from '../periodic';
import type { ClickHouse } from '../server/clickhouse';
import type { ConsoleDb } from '../server/console-db';
import { newSecret } from '../server/auth/secrets';
import { signAckToken } from './ack-links';
import { AlertBook } from './alert-book';
import { AlertGroups } from './alert-groups';
import { compose, createMailer, MailOutbox, startMailDelivery, TemplateStore, type MailDelivery } from './email';
import { evaluate } from './evaluation/evaluator';
import { Measures } from './measures';
import { Notifier, type NotifierPorts } from './notify/notifier';
import { escalationStep } from './oncall/schedule';
import { recipientsOf, ScheduleStore } from './oncall/schedule-store';
import { RuleStore } from './rules/rule-store';
import { SilenceBook } from './silences';

/** How long the acknowledgement link in an email stays valid. */
const ACK_LINK_TTL_MS = 7 * 86_400_000;

export interface AlertingOptions {
  db: ConsoleDb;
  clickhouse: ClickHouse;
  /** Partner endpoints' circuit states (the runtime's health); throws when the runtime is unreachable. */
  circuits(): Promise<{ id: string; circuit: string }[]>;
  /** Open dead letters now. */
  openDeadLetters(): number;
  /** Spans the collector has accepted since it started (a counter). */
  spansAccepted(): number;
  smtp: SmtpConfig;
  /** Between evaluation passes; 0 evaluates only on `evaluateNow`. */
  evaluationMs: number;
  /** Between mail delivery passes (retries); new mail is sent right after the pass that made it. */
  deliveryMs?: number;
  /** The longest SMTP wait (connect, greeting, each reply); a whole message gets three times this. @defaultValue 10 s */
  mailTimeoutMs?: number;
  /** The console's address as people reach it, for links in email. */
  publicUrl: string;
  /** Signs acknowledgement links; unset, a random secret for this process. */
  linkSecret?: string;
  /** What time it is, for evaluation and mail retries; tests and simulations move it. @defaultValue the system clock */
  clock?: () => Date;
  /** Whether this replica evaluates and sends now (it holds the console's duties lease). @defaultValue always */
  active?: () => boolean;
  onError?: (source: string, error: Error) => void;
}

export interface Alerting {
  readonly rules: RuleStore;
  readonly book: AlertBook;
  readonly groups: AlertGroups;
  readonly silences: SilenceBook;
  readonly schedules: ScheduleStore;
  readonly templates: TemplateStore;
  readonly outbox: MailOutbox;
  /** The key acknowledgement links are signed with. */
  readonly linkSecret: string;
  /** Whether mail can be sent (SMTP_URL set). */
  readonly mailConfigured: boolean;
  /** One evaluation pass (and the notifications it makes); passes never overlap. */
  evaluateNow(): Promise<void>;
  /** One delivery pass over the outbox. */
  deliverNow(): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * Alerting in the console process: rules evaluated on a schedule against ClickHouse (and the
 * runtime's health), alert groups told to the on-call by email through a durable outbox, so a
 * slow or failing SMTP server never holds up evaluation. The shipped rules and a default
 * schedule are stored at first start.
 */
export function startAlerting(options: AlertingOptions): Alerting {
  const { db } = options;
  const clock = options.clock ?? (() => new Date());
  const problems = new ProblemReporter(options.onError);
  const report = (source: string, error: Error) => problems.report(source, error);
  const rules = new RuleStore(db);
  rules.seedDefaults();
  const book = new AlertBook(db);
  const groups = new AlertGroups(db);
  const silences = new SilenceBook(db);
  const schedules = new ScheduleStore(db);
  schedules.ensureDefault('crossdock');
  const templates = new TemplateStore(db);
  const outbox = new MailOutbox(db);
  const linkSecret = options.linkSecret ?? newSecret();

  const started = Date.now();
  let spansSeen = options.spansAccepted();
  let lastSpanAt = started;
  const measures = new Measures({
    clickhouse: options.clickhouse,
    circuits: options.circuits,
    openDeadLetters: options.openDeadLetters,
    // The counter is read every pass: a pass that sees it moved knows spans arrived since the last.
    lastSpanAt: (now) => {
      const seen = options.spansAccepted();
      if (seen !== spansSeen) [spansSeen, lastSpanAt] = [seen, now.getTime()];
      return lastSpanAt;
    },
  });

  const base = options.publicUrl;
  const ports: NotifierPorts = {
    escalationLevel(scheduleId, level, at) {
      const schedule = schedules.get(scheduleId);
      const step = schedule && escalationStep(schedule, level, at);
      if (!step) return undefined;
      return { step: step.step, ...recipientsOf(db, step.logins) };
    },
    ackMinutes: (scheduleId) => schedules.get(scheduleId)?.escalation.ackMinutes,
    recipientsByLogin: (logins) => recipientsOf(db, logins).recipients,
    send(notice) {
      outbox.enqueue({ groupId: notice.groupId, kind: notice.kind, recipient: notice.recipient, message: compose(notice, templates.get(notice.kind)) }, notice.at);
    },
    links: (group, recipient) => ({
      group: `${base}/alerts/${group.id}`,
      acknowledge: group.status === 'open' ? `${base}/ack/${signAckToken(linkSecret, { groupId: group.id, login: recipient.login, expiresAt: clock().getTime() + ACK_LINK_TTL_MS })}` : null,
      console: base,
    }),
    runbookOf: (rule) => rule.runbookUrl ?? `${base}/alerts/runbook#${rule.condition.kind}`,
  };
  const notifier = new Notifier({ book, groups, silences, rules: () => rules.list() }, ports);

  const mailer = createMailer(options.smtp, { timeoutMs: options.mailTimeoutMs });
  const delivery: MailDelivery = startMailDelivery({
    outbox,
    mailer,
    intervalMs: options.deliveryMs ?? 15_000,
    active: options.active,
    clock: () => clock().getTime(),
    onSent: (row) => book.record('sent', { groupId: row.groupId, at: clock().getTime(), detail: { to: row.recipient.email, kind: row.kind, subject: row.subject, messageId: row.messageId, attempts: row.attempts } }),
    onFailed: (row, error, final) => book.record('send_failed', { groupId: row.groupId, at: clock().getTime(), detail: { to: row.recipient.email, kind: row.kind, error: error.message, attempts: row.attempts, final } }),
    // Delivery reports each mail problem once on its own, and clears it when mail goes out again.
    onError: (error) => options.onError?.('mail', error),
  });

  const pass = async () => {
    try {
      await evaluate({ rules, book, groups, measures, onError: report, onRecovered: (source) => problems.clear(source), afterPass: (at) => notifier.pass(at) }, clock());
      problems.clear('evaluation');
    } catch (error) {
      report('evaluation', error as Error);
    }
    // Mail goes out on its own loop: evaluation never waits for SMTP.
    void delivery.runOnce();
  };
  const evaluation = startPeriodic(pass, { intervalMs: options.evaluationMs, whenBusy: 'join', idle: () => undefined, active: options.active });

  return {
    rules, book, groups, silences, schedules, templates, outbox, linkSecret,
    mailConfigured: mailer !== undefined,
    evaluateNow: () => evaluation.runOnce(),
    deliverNow: () => delivery.runOnce(),
    async stop() {
      await evaluation.stop();
      await delivery.stop();
      await mailer?.close();
    },
  };
}
