import { z } from 'zod';
import type { ConsoleDb } from '../../server/console-db';
import { SqlConditions } from '../../server/sql-conditions';
import { NoticeKind, type Recipient } from '../alert';
import type { ComposedMail } from './compose';
import type { Mailer } from './mailer';
import { aboutTheMessage, describeFailure, refusedForGood, retryDelayMs } from './retry-policy';

/**
 * The durable outbox of alert email (`mail_outbox`). Notices are composed and stored first, then
 * delivered by passes that retry with backoff, so an SMTP server that is down, slow or refusing
 * never holds up alert evaluation and loses nothing: a message is sent, or failed for a reason
 * someone can read and retry.
 */

export const MailStatus = z.enum(['pending', 'sent', 'failed']);
export type MailStatus = z.infer<typeof MailStatus>;

const StoredRecipient = z.object({ login: z.string(), name: z.string(), email: z.string() });
const StoredHeaders = z.record(z.string(), z.string());

/** One alert email in the outbox. */
export interface OutboxMessage {
  id: number;
  groupId: number | null;
  kind: NoticeKind;
  recipient: Recipient;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  status: MailStatus;
  /** Failed attempts so far (a manual retry starts again from 0). */
  attempts: number;
  nextAttemptAt: number;
  /** The SMTP error of the last failed attempt: its code, reply code and message. */
  lastError: string | null;
  /** The Message-ID it was sent with. */
  messageId: string | null;
  createdAt: number;
  sentAt: number | null;
}

export const OutboxFilter = z.object({
  status: MailStatus.optional(),
  groupId: z.coerce.number().int().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type OutboxFilter = z.input<typeof OutboxFilter>;

/** Told about each attempt, e.g. to record it in the alert history. */
export interface DeliveryHooks {
  onSent?(message: OutboxMessage): void;
  /** `final`: the message is now `failed` and will not be tried again unless someone retries it. */
  onFailed?(message: OutboxMessage, error: Error, final: boolean): void;
}

export interface DeliveryResult {
  sent: number;
  /** Failed for good in this pass. */
  failed: number;
  /** Failed and scheduled again. */
  retried: number;
}

export interface OutboxOptions {
  /** Failed attempts after which a message is `failed`. @defaultValue 12 (about 90 min of retries) */
  maxAttempts?: number;
  /** Messages one pass sends at most. @defaultValue 20 */
  batchSize?: number;
  /** How long a message being sent is held from other passes; a process that dies mid-send gives it up then. @defaultValue 10 min */
  claimMs?: number;
  /** For the jitter of retry delays. @defaultValue Math.random */
  random?: () => number;
}

/** Asked for a message that is not there, or in a state that does not allow it. */
export class OutboxError extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'OutboxError';
  }
}

interface Row {
  id: number;
  group_id: number | null;
  kind: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  headers: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  message_id: string | null;
  created_at: number;
  sent_at: number | null;
}

export class MailOutbox {
  private readonly maxAttempts: number;
  private readonly batchSize: number;
  private readonly claimMs: number;
  private readonly random: () => number;

  constructor(
    private readonly db: ConsoleDb,
    options: OutboxOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 12;
    this.batchSize = options.batchSize ?? 20;
    this.claimMs = options.claimMs ?? 10 * 60_000;
    this.random = options.random ?? Math.random;
  }

  /** Keeps one composed email for one recipient, due now. @returns its id */
  enqueue(input: { groupId: number | null; kind: NoticeKind; recipient: Recipient; message: ComposedMail }, now = Date.now()): number {
    const { message } = input;
    const recipient = StoredRecipient.parse(input.recipient);
    const result = this.db
      .prepare(
        `INSERT INTO mail_outbox (group_id, kind, recipient, subject, text_body, html_body, headers, status, attempts, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
      )
      .run(input.groupId, NoticeKind.parse(input.kind), JSON.stringify(recipient), message.subject, message.text, message.html, JSON.stringify(StoredHeaders.parse(message.headers)), now, now);
    return Number(result.lastInsertRowid);
  }

  /**
   * Sends the messages due at `now`, oldest first, at most `batchSize`, each on its own: one
   * failure does not stop the others, unless it says the server cannot be reached or will not
   * take mail from us at all (connection, TLS, login, timeout), since the rest would then only
   * wait for the same timeout. Retries are reckoned from `now`. A refusal of the message itself
   * for good (a 5xx reply to the recipient or the data) fails it at once; anything else is retried
   * until `maxAttempts`.
   *
   * @throws after the whole batch, when a hook threw (the messages' states are stored regardless).
   */
  async deliverDue(mailer: Mailer, now: number = Date.now(), hooks: DeliveryHooks = {}): Promise<DeliveryResult> {
    const result: DeliveryResult = { sent: 0, failed: 0, retried: 0 };
    const hookErrors: Error[] = [];
    const due = this.db
      .prepare("SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?")
      .all(now, this.batchSize) as { id: number }[];
    for (const { id } of due) {
      const message = this.claim(id, now);
      if (!message) continue;
      try {
        const { messageId } = await mailer.send({ to: message.recipient, subject: message.subject, text: message.text, html: message.html, headers: message.headers });
        const sent = this.markSent(id, messageId, now);
        result.sent++;
        callHook(hookErrors, () => hooks.onSent?.(sent));
      } catch (thrown) {
        const error = thrown instanceof Error ? thrown : new Error(String(thrown));
        const attempts = message.attempts + 1;
        const final = attempts >= this.maxAttempts || refusedForGood(error);
        result[final ? 'failed' : 'retried']++;
        const failed = this.markFailed(id, { attempts, final, error: describeFailure(error), nextAttemptAt: now + retryDelayMs(attempts, this.random) });
        callHook(hookErrors, () => hooks.onFailed?.(failed, error, final));
        if (!aboutTheMessage(error)) break;
      }
    }
    if (hookErrors.length) throw new Error(`a delivery hook failed: ${hookErrors[0].message}`, { cause: hookErrors[0] });
    return result;
  }

  get(id: number): OutboxMessage | undefined {
    const row = this.db.prepare('SELECT * FROM mail_outbox WHERE id = ?').get(id) as Row | undefined;
    return row && toMessage(row);
  }

  /** Newest first. */
  list(input: OutboxFilter = {}): { total: number; items: OutboxMessage[] } {
    const filter = OutboxFilter.parse(input);
    const where = new SqlConditions();
    if (filter.status) where.add('status = ?', filter.status);
    if (filter.groupId !== undefined) where.add('group_id = ?', filter.groupId);
    const { clause, params } = where;
    const total = (this.db.prepare(`SELECT count(*) AS n FROM mail_outbox ${clause}`).get(...params) as { n: number }).n;
    const rows = this.db.prepare(`SELECT * FROM mail_outbox ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...params, filter.limit, filter.offset) as Row[];
    return { total, items: rows.map(toMessage) };
  }

  /** Messages waiting to be sent. */
  countPending(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM mail_outbox WHERE status = 'pending'").get() as { n: number }).n;
  }

  /**
   * Puts a failed message back, due now, with a fresh set of attempts (someone fixed the cause).
   * Its last error is kept, noting who retried it, so the outbox still shows why it had failed.
   *
   * @throws OutboxError 404 when there is no such message, 409 when it has not failed.
   */
  retry(id: number, actor: string, now: number = Date.now()): OutboxMessage {
    const message = this.get(id);
    if (!message) throw new OutboxError(404, `there is no message ${id} in the outbox`);
    if (message.status !== 'failed') throw new OutboxError(409, `message ${id} is ${message.status}, not failed`);
    this.db
      .prepare("UPDATE mail_outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, last_error = ? WHERE id = ? AND status = 'failed'")
      .run(now, `${message.lastError ?? 'failed'} (retried by ${actor} at ${new Date(now).toISOString()})`, id);
    return this.get(id)!;
  }

  // Holds a due message for this pass, so another process's pass cannot send it too.
  private claim(id: number, now: number): OutboxMessage | undefined {
    const claimed = this.db
      .prepare("UPDATE mail_outbox SET next_attempt_at = ? WHERE id = ? AND status = 'pending' AND next_attempt_at <= ?")
      .run(now + this.claimMs, id, now);
    return claimed.changes === 1 ? this.get(id) : undefined;
  }

  private markSent(id: number, messageId: string, now: number): OutboxMessage {
    this.db.prepare("UPDATE mail_outbox SET status = 'sent', message_id = ?, sent_at = ? WHERE id = ?").run(messageId, now, id);
    return this.get(id)!;
  }

  private markFailed(id: number, change: { attempts: number; final: boolean; error: string; nextAttemptAt: number }): OutboxMessage {
    this.db
      .prepare('UPDATE mail_outbox SET status = ?, attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?')
      .run(change.final ? 'failed' : 'pending', change.attempts, change.error, change.nextAttemptAt, id);
    return this.get(id)!;
  }
}

// A hook that throws must not turn a delivered message into a failed one, nor stop the batch.
function callHook(errors: Error[], hook: () => void) {
  try {
    hook();
  } catch (error) {
    errors.push(error instanceof Error ? error : new Error(String(error)));
  }
}

function toMessage(row: Row): OutboxMessage {
  return {
    id: row.id,
    groupId: row.group_id,
    kind: NoticeKind.parse(row.kind),
    recipient: StoredRecipient.parse(JSON.parse(row.recipient)),
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    headers: StoredHeaders.parse(JSON.parse(row.headers)),
    status: MailStatus.parse(row.status),
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    messageId: row.message_id,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}
