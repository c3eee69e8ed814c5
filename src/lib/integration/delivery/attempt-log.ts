import type { ExceptionCategory } from '../taxonomy';
import type { RuntimeDb } from '../store/runtime-db';

/** One failed attempt, as the dead-letter store keeps it. */
export interface AttemptError {
  attempt: number;
  category: ExceptionCategory;
  message: string;
  /** ISO timestamp. */
  at: string;
}

/**
 * Failures and deferrals of messages still in flight, persisted so that the dead letter of a
 * message that failed across restarts still lists every attempt, and so the retry budget counts
 * real failures only (a paused endpoint defers without spending it).
 */
export class AttemptLog {
  private readonly insert;
  private readonly failuresOf;
  private readonly countsOf;
  private readonly clearOf;

  constructor(db: RuntimeDb) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS delivery_attempts (
        message_id TEXT NOT NULL,
        attempt    INTEGER NOT NULL,
        kind       TEXT NOT NULL CHECK (kind IN ('failure', 'deferral')),
        category   TEXT NOT NULL,
        message    TEXT NOT NULL,
        at         TEXT NOT NULL,
        PRIMARY KEY (message_id, attempt)
      ) WITHOUT ROWID;`);
    this.insert = db.prepare(
      'INSERT OR REPLACE INTO delivery_attempts VALUES (@messageId, @attempt, @kind, @category, @message, @at)',
    );
    this.failuresOf = db.prepare<[string], AttemptError>(
      "SELECT attempt, category, message, at FROM delivery_attempts WHERE message_id = ? AND kind = 'failure' ORDER BY attempt",
    );
    this.countsOf = db.prepare<[string], { failures: number; deferrals: number }>(
      "SELECT coalesce(sum(kind = 'failure'), 0) AS failures, coalesce(sum(kind = 'deferral'), 0) AS deferrals FROM delivery_attempts WHERE message_id = ?",
    );
    this.clearOf = db.prepare('DELETE FROM delivery_attempts WHERE message_id = ?');
  }

  record(messageId: string, kind: 'failure' | 'deferral', error: AttemptError): void {
    this.insert.run({ messageId, kind, ...error });
  }

  failures(messageId: string): AttemptError[] {
    return this.failuresOf.all(messageId);
  }

  counts(messageId: string): { failures: number; deferrals: number } {
    return this.countsOf.get(messageId) ?? { failures: 0, deferrals: 0 };
  }

  clear(messageId: string): void {
    this.clearOf.run(messageId);
  }
}
