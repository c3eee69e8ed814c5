import type { RuntimeDb } from '../../store/runtime-db';

/**
 * The connector's memory in the runtime database: per stream, the `write_date` cursor and the
 * record versions already handed over inside the overlap window; and the writes already
 * applied to Odoo, by idempotency key, with what they produced.
 */
export class OdooSyncState {
  private readonly getCursor;
  private readonly putCursor;
  private readonly isSeen;
  private readonly putSeen;
  private readonly pruneSeen;
  private readonly getWrite;
  private readonly putWrite;

  constructor(private readonly db: RuntimeDb) {
    db.exec(`CREATE TABLE IF NOT EXISTS odoo_sync_cursor (stream TEXT PRIMARY KEY, write_date TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS odoo_sync_seen (stream TEXT NOT NULL, record_id INTEGER NOT NULL, write_date TEXT NOT NULL,
        digest TEXT NOT NULL, PRIMARY KEY (stream, record_id, write_date, digest)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS odoo_applied_writes (key TEXT PRIMARY KEY, kind TEXT NOT NULL, result TEXT NOT NULL, applied_at INTEGER NOT NULL);`);
    this.getCursor = db.prepare<[string], { write_date: string }>('SELECT write_date FROM odoo_sync_cursor WHERE stream = ?');
    this.putCursor = db.prepare('INSERT OR REPLACE INTO odoo_sync_cursor (stream, write_date) VALUES (?, ?)');
    this.isSeen = db.prepare<[string, number, string, string], { one: number }>(
      'SELECT 1 AS one FROM odoo_sync_seen WHERE stream = ? AND record_id = ? AND write_date = ? AND digest = ?',
    );
    this.putSeen = db.prepare('INSERT OR IGNORE INTO odoo_sync_seen (stream, record_id, write_date, digest) VALUES (?, ?, ?, ?)');
    this.pruneSeen = db.prepare('DELETE FROM odoo_sync_seen WHERE stream = ? AND write_date < ?');
    this.getWrite = db.prepare<[string], { result: string }>('SELECT result FROM odoo_applied_writes WHERE key = ?');
    this.putWrite = db.prepare('INSERT OR IGNORE INTO odoo_applied_writes (key, kind, result, applied_at) VALUES (?, ?, ?, ?)');
  }

  cursor(stream: string): string | undefined {
    return this.getCursor.get(stream)?.write_date;
  }

  /** Whether this version of a record (its `write_date` and a digest of the fields read) was handed over. */
  seen(stream: string, id: number, writeDate: string, digest: string): boolean {
    return this.isSeen.get(stream, id, writeDate, digest) !== undefined;
  }

  /** Records a page as handed over and moves the cursor, atomically; forgets pairs older than `keepFrom`. */
  advance(stream: string, rows: { id: number; writeDate: string; digest: string }[], cursor: string, keepFrom: string): void {
    this.db.transaction(() => {
      for (const row of rows) this.putSeen.run(stream, row.id, row.writeDate, row.digest);
      this.putCursor.run(stream, cursor);
      this.pruneSeen.run(stream, keepFrom);
    })();
  }

  /** What a write with this idempotency key produced, when it was already applied. */
  appliedWrite<T>(key: string): T | undefined {
    const row = this.getWrite.get(key);
    return row ? (JSON.parse(row.result) as T) : undefined;
  }

  recordWrite(key: string, kind: string, result: unknown, now = Date.now()): void {
    this.putWrite.run(key, kind, JSON.stringify(result), now);
  }
}
