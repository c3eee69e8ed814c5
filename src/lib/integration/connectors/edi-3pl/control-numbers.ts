import type { RuntimeDb } from '../../store/runtime-db';

/**
 * Interchange (ISA13) and group (GS06) control numbers we issue, per partner, persisted in the
 * runtime database so a restart never reuses one: the partner's 997 refers to them, and a reused
 * number makes it discard our interchange as a duplicate.
 */
export class ControlNumbers {
  readonly #next;

  constructor(db: RuntimeDb) {
    db.exec(`CREATE TABLE IF NOT EXISTS x12_control_numbers (
      partner TEXT NOT NULL, kind TEXT NOT NULL, last INTEGER NOT NULL, PRIMARY KEY (partner, kind)) WITHOUT ROWID`);
    const bump = db.prepare(`INSERT INTO x12_control_numbers VALUES (?, ?, 1)
      ON CONFLICT (partner, kind) DO UPDATE SET last = CASE WHEN last >= 999999999 THEN 1 ELSE last + 1 END RETURNING last`);
    this.#next = (partner: string, kind: string) => (bump.get(partner, kind) as { last: number }).last;
  }

  /** The next interchange and group numbers for `partner`. */
  next(partner: string): { isa: number; gs: number } {
    return { isa: this.#next(partner, 'isa'), gs: this.#next(partner, 'gs') };
  }
}
