import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EventEnvelope } from '../canonical/envelope';
import { ServiceClass } from '../canonical/primitives';
import type { RuntimeDb } from '../store/runtime-db';
import { ExceptionCategory } from '../taxonomy';
import type { AttemptError } from './attempt-log';
import {
  createDeadLetterSchema,
  deadLetterFromRow,
  DeadLetterStatus,
  type DeadLetter,
  type DeadLetterRow,
} from './dead-letter-schema';

/** What the delivery layer files when it gives up on a message. */
export interface NewDeadLetter {
  messageId: string;
  topic: string;
  envelope: EventEnvelope;
  attempts: AttemptError[];
  category: DeadLetter['category'];
  reason: string;
  traceparent?: string;
  tracestate?: string;
}

/** Which dead letters to list or replay; every field narrows. */
export const DeadLetterFilter = z
  .object({
    status: DeadLetterStatus.optional(),
    topic: z.string().min(1).optional(),
    category: ExceptionCategory.optional(),
    correlationId: z.string().min(1).optional(),
    eventType: z.string().min(1).optional(),
    serviceClass: ServiceClass.optional(),
    /** ISO timestamps bounding `createdAt`. */
    createdAfter: z.iso.datetime({ offset: true }).optional(),
    createdBefore: z.iso.datetime({ offset: true }).optional(),
    /** Changed (filed, replayed, discarded) at or after this ISO time; then oldest change first, for incremental readers. */
    updatedSince: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();
export type DeadLetterFilter = z.input<typeof DeadLetterFilter>;

/** A recorded replay or discard. */
export interface DeadLetterAction {
  id: string;
  deadLetterId: string;
  action: 'replay' | 'discard';
  reason: string | null;
  actor: string;
  idempotencyKey: string | null;
  replayMessageId: string | null;
  at: string;
}

interface ActionRow {
  id: string;
  dead_letter_id: string;
  action: 'replay' | 'discard';
  reason: string | null;
  actor: string;
  idempotency_key: string | null;
  replay_message_id: string | null;
  at: string;
}

const actionFromRow = (r: ActionRow): DeadLetterAction => ({
  id: r.id,
  deadLetterId: r.dead_letter_id,
  action: r.action,
  reason: r.reason,
  actor: r.actor,
  idempotencyKey: r.idempotency_key,
  replayMessageId: r.replay_message_id,
  at: r.at,
});

// Column per filter field; values always travel as parameters.
const filterClauses: Record<string, string> = {
  status: 'status = @status',
  topic: 'topic = @topic',
  category: 'category = @category',
  correlationId: 'correlation_id = @correlationId',
  eventType: 'event_type = @eventType',
  serviceClass: 'service_class = @serviceClass',
  createdAfter: 'created_at >= @createdAfter',
  createdBefore: 'created_at < @createdBefore',
  updatedSince: 'updated_at >= @updatedSince',
};

/** The dead-letter store, in the runtime database. */
export class DeadLetterStore {
  readonly #byMessageId;
  readonly #byId;

  constructor(private readonly db: RuntimeDb) {
    createDeadLetterSchema(db);
    this.#byMessageId = db.prepare<[string], DeadLetterRow>('SELECT * FROM dead_letters WHERE message_id = ?');
    this.#byId = db.prepare<[string], DeadLetterRow>('SELECT * FROM dead_letters WHERE id = ?');
  }

  /** Files a dead letter; filing the same message again returns the existing one. */
  add(input: NewDeadLetter): DeadLetter {
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO dead_letters (id, message_id, topic, service_class, event_type, correlation_id, envelope,
           attempts, category, reason, traceparent, tracestate, created_at, updated_at)
         VALUES (@id, @messageId, @topic, @serviceClass, @eventType, @correlationId, @envelope,
           @attempts, @category, @reason, @traceparent, @tracestate, @now, @now)
         ON CONFLICT (message_id) DO NOTHING`,
      )
      .run({
        id: randomUUID(),
        messageId: input.messageId,
        topic: input.topic,
        serviceClass: input.envelope.serviceclass,
        eventType: input.envelope.type,
        correlationId: input.envelope.correlationid,
        envelope: JSON.stringify(input.envelope),
        attempts: JSON.stringify(input.attempts),
        category: input.category,
        reason: input.reason,
        traceparent: input.traceparent ?? null,
        tracestate: input.tracestate ?? null,
        now,
      });
    const row = this.#byMessageId.get(input.messageId);
    return deadLetterFromRow(row!);
  }

  get(id: string): DeadLetter | undefined {
    const row = this.#byId.get(id);
    return row ? deadLetterFromRow(row) : undefined;
  }

  /** Whether a message was already dead-lettered (a redelivery after a crash must not run again). */
  hasMessage(messageId: string): boolean {
    // Asked for every delivery the dispatcher handles, so the statement is compiled once.
    return this.#byMessageId.get(messageId) !== undefined;
  }

  /** Newest first; with `updatedSince`, oldest change first. */
  list(filter: DeadLetterFilter = {}): DeadLetter[] {
    const parsed = DeadLetterFilter.parse(filter);
    const clauses = Object.keys(filterClauses).filter((k) => parsed[k as keyof typeof parsed] !== undefined);
    const where = clauses.length ? `WHERE ${clauses.map((k) => filterClauses[k]).join(' AND ')}` : '';
    const params = Object.fromEntries(clauses.map((k) => [k, parsed[k as keyof typeof parsed]]));
    return this.db
      .prepare<Record<string, unknown>, DeadLetterRow>(
        `SELECT * FROM dead_letters ${where} ORDER BY ${parsed.updatedSince ? 'updated_at ASC, id ASC' : 'created_at DESC, id DESC'} LIMIT @limit`,
      )
      .all({ ...params, limit: parsed.limit })
      .map(deadLetterFromRow);
  }

  /** The action recorded under an Idempotency-Key, if any. */
  actionByKey(idempotencyKey: string): DeadLetterAction | undefined {
    const row = this.db
      .prepare<[string], ActionRow>('SELECT * FROM dead_letter_actions WHERE idempotency_key = ?')
      .get(idempotencyKey);
    return row ? actionFromRow(row) : undefined;
  }

  actionsOf(deadLetterId: string): DeadLetterAction[] {
    return this.db
      .prepare<[string], ActionRow>('SELECT * FROM dead_letter_actions WHERE dead_letter_id = ? ORDER BY at, id')
      .all(deadLetterId)
      .map(actionFromRow);
  }

  /**
   * Closes an open dead letter and records the action, atomically: it fails (returns
   * undefined) when the dead letter is no longer open, so two approvers cannot both act.
   */
  resolve(
    deadLetterId: string,
    action: Omit<DeadLetterAction, 'deadLetterId' | 'at'>,
  ): DeadLetterAction | undefined {
    return this.db.transaction(() => {
      const at = new Date().toISOString();
      const status = action.action === 'replay' ? 'replayed' : 'discarded';
      const changed = this.db
        .prepare(
          `UPDATE dead_letters SET status = @status, updated_at = @at,
             replay_count = replay_count + (CASE WHEN @status = 'replayed' THEN 1 ELSE 0 END)
           WHERE id = @id AND status = 'open'`,
        )
        .run({ id: deadLetterId, status, at }).changes;
      if (changed === 0) return undefined;
      const recorded: DeadLetterAction = { ...action, deadLetterId, at };
      this.db
        .prepare(
          `INSERT INTO dead_letter_actions (id, dead_letter_id, action, reason, actor, idempotency_key, replay_message_id, at)
           VALUES (@id, @deadLetterId, @action, @reason, @actor, @idempotencyKey, @replayMessageId, @at)`,
        )
        .run(recorded);
      return recorded;
    })();
  }
}
