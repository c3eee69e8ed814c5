import { z } from 'zod';
import { EventEnvelope } from '../canonical/envelope';
import { ServiceClass } from '../canonical/primitives';
import type { RuntimeDb } from '../store/runtime-db';
import { ExceptionCategory } from '../taxonomy';

export const DeadLetterStatus = z.enum(['open', 'replayed', 'discarded']);
export type DeadLetterStatus = z.infer<typeof DeadLetterStatus>;

const AttemptErrorSchema = z.object({
  attempt: z.number().int(),
  category: ExceptionCategory,
  message: z.string(),
  at: z.string(),
});

/** A message the runtime gave up on: the original envelope, why, and what was done about it since. */
export const DeadLetter = z.object({
  id: z.string(),
  messageId: z.string(),
  /** The route (bus topic) the message was on. */
  topic: z.string(),
  serviceClass: ServiceClass,
  eventType: z.string(),
  correlationId: z.string(),
  /** The envelope exactly as first published: replay starts from it, not from a transformed copy. */
  envelope: EventEnvelope,
  attempts: z.array(AttemptErrorSchema),
  /** Category of the last failure. */
  category: ExceptionCategory,
  /** `permanent`, `exhausted` (retry budget spent) or `crashed` (its workers kept dying). */
  reason: z.string(),
  /** Trace context of the attempt that failed last, for the span link a replay carries. */
  traceparent: z.string().nullable(),
  tracestate: z.string().nullable(),
  status: DeadLetterStatus,
  replayCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DeadLetter = z.infer<typeof DeadLetter>;

/** A row of `dead_letters`, snake_case as stored. */
export interface DeadLetterRow {
  id: string;
  message_id: string;
  topic: string;
  service_class: string;
  event_type: string;
  correlation_id: string;
  envelope: string;
  attempts: string;
  category: string;
  reason: string;
  traceparent: string | null;
  tracestate: string | null;
  status: string;
  replay_count: number;
  created_at: string;
  updated_at: string;
}

/** Row to domain, parsed rather than cast so a corrupt row is refused loudly. */
export function deadLetterFromRow(row: DeadLetterRow): DeadLetter {
  return DeadLetter.parse({
    id: row.id,
    messageId: row.message_id,
    topic: row.topic,
    serviceClass: row.service_class,
    eventType: row.event_type,
    correlationId: row.correlation_id,
    envelope: JSON.parse(row.envelope),
    attempts: JSON.parse(row.attempts),
    category: row.category,
    reason: row.reason,
    traceparent: row.traceparent,
    tracestate: row.tracestate,
    status: row.status,
    replayCount: row.replay_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

export function createDeadLetterSchema(db: RuntimeDb): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS dead_letters (
      id             TEXT PRIMARY KEY,
      message_id     TEXT NOT NULL,
      topic          TEXT NOT NULL,
      service_class  TEXT NOT NULL,
      event_type     TEXT NOT NULL,
      correlation_id TEXT NOT NULL,
      envelope       TEXT NOT NULL,
      attempts       TEXT NOT NULL,
      category       TEXT NOT NULL,
      reason         TEXT NOT NULL,
      traceparent    TEXT,
      tracestate     TEXT,
      status         TEXT NOT NULL DEFAULT 'open',
      replay_count   INTEGER NOT NULL DEFAULT 0,
      created_at     TEXT NOT NULL,
      updated_at     TEXT NOT NULL
    );
    -- One dead letter per message: a redelivery racing a dead-lettering must not file it twice.
    CREATE UNIQUE INDEX IF NOT EXISTS dead_letters_message ON dead_letters (message_id);
    CREATE INDEX IF NOT EXISTS dead_letters_status_created ON dead_letters (status, created_at);
    CREATE INDEX IF NOT EXISTS dead_letters_correlation ON dead_letters (correlation_id);
    CREATE INDEX IF NOT EXISTS dead_letters_updated ON dead_letters (updated_at, id);
    -- Every replay and discard, who asked and why; the Idempotency-Key makes a repeated approval a no-op.
    CREATE TABLE IF NOT EXISTS dead_letter_actions (
      id               TEXT PRIMARY KEY,
      dead_letter_id   TEXT NOT NULL REFERENCES dead_letters (id),
      action           TEXT NOT NULL CHECK (action IN ('replay', 'discard')),
      reason           TEXT,
      actor            TEXT NOT NULL,
      idempotency_key  TEXT UNIQUE,
      replay_message_id TEXT,
      at               TEXT NOT NULL
    );`);
}
