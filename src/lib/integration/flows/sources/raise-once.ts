import type { Attributes } from '@opentelemetry/api';
import type { RuntimeDb } from '../../store/runtime-db';
import { recordExceptionSpan } from '../../../telemetry/spans';

/**
 * Raises a condition found by looking (an acknowledgement overdue, say) as an exception span once
 * per key, however many polls see it again: the console turns each into one triage item, not one
 * per poll. The keys are kept in the runtime database, so a restart does not raise them again.
 */
export class RaiseOnce {
  readonly #claim;

  constructor(db: RuntimeDb) {
    db.exec('CREATE TABLE IF NOT EXISTS raised_exceptions (key TEXT PRIMARY KEY, raised_at TEXT NOT NULL) WITHOUT ROWID');
    this.#claim = db.prepare('INSERT OR IGNORE INTO raised_exceptions (key, raised_at) VALUES (?, ?)');
  }

  /** Returns whether it was raised now (false: already raised before). */
  raise(key: string, name: string, attributes: Attributes, error: Error): boolean {
    if (this.#claim.run(key, new Date().toISOString()).changes === 0) return false;
    recordExceptionSpan(name, attributes, error);
    return true;
  }
}
