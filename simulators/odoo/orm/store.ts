import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** One stored record: `id` plus its stored field values, exactly as Odoo keeps them in its table. */
export type Row = { id: number } & Record<string, unknown>;

/**
 * The simulator's database: every model's rows in one SQLite file, mirrored in memory for speed.
 * Each RPC call runs in a transaction like Odoo's request cursor: changes are kept in memory until
 * `commit`, and `rollback` restores the rows as they were, so a call that raises leaves nothing
 * behind (a failed `button_validate` does not half-validate a picking).
 */
export class RecordStore {
  private readonly db: Database.Database;
  private readonly tables = new Map<string, Map<number, Row>>();
  private readonly nextIds = new Map<string, number>();
  /** Rows as they were before the open transaction touched them (`undefined` = did not exist). */
  private readonly originals = new Map<string, Map<number, Row | undefined>>();
  private readonly putStmt;
  private readonly deleteStmt;
  private readonly metaPut;
  private readonly metaGet;
  /** Whether the file held no records when opened: a fresh database to seed. */
  readonly fresh: boolean;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS records (model TEXT NOT NULL, id INTEGER NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (model, id)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`);
    for (const { model, data } of this.db.prepare<[], { model: string; data: string }>('SELECT model, data FROM records').all()) {
      const row = JSON.parse(data) as Row;
      this.table(model).set(row.id, row);
      this.nextIds.set(model, Math.max(this.nextIds.get(model) ?? 1, row.id + 1));
    }
    this.fresh = this.tables.size === 0;
    this.putStmt = this.db.prepare('INSERT OR REPLACE INTO records (model, id, data) VALUES (?, ?, ?)');
    this.deleteStmt = this.db.prepare('DELETE FROM records WHERE model = ? AND id = ?');
    this.metaPut = this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    this.metaGet = this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  }

  rows(model: string): Iterable<Row> {
    return this.table(model).values();
  }

  get(model: string, id: number): Row | undefined {
    return this.table(model).get(id);
  }

  /** Inserts a row with the model's next id and returns it. */
  insert(model: string, values: Record<string, unknown>): Row {
    const id = this.nextIds.get(model) ?? 1;
    this.nextIds.set(model, id + 1);
    const row: Row = { ...values, id };
    this.remember(model, id, undefined);
    this.table(model).set(id, row);
    return row;
  }

  /** Changes stored values of an existing row in place. */
  update(model: string, id: number, values: Record<string, unknown>): void {
    const row = this.table(model).get(id);
    if (!row) throw new Error(`no ${model} ${id}`);
    this.remember(model, id, { ...row });
    Object.assign(row, values);
  }

  delete(model: string, id: number): void {
    const row = this.table(model).get(id);
    if (!row) return;
    this.remember(model, id, { ...row });
    this.table(model).delete(id);
  }

  /** Writes every row the transaction touched to SQLite, atomically; returns their ids per model. */
  commit(): Map<string, number[]> {
    const touched = new Map([...this.originals].map(([model, ids]) => [model, [...ids.keys()]]));
    if (this.originals.size === 0) return touched;
    this.db.transaction(() => {
      for (const [model, ids] of this.originals)
        for (const id of ids.keys()) {
          const row = this.table(model).get(id);
          if (row) this.putStmt.run(model, id, JSON.stringify(row));
          else this.deleteStmt.run(model, id);
        }
    })();
    this.originals.clear();
    return touched;
  }

  /** Puts back every row the transaction touched. Ids are not reused, as with PostgreSQL sequences. */
  rollback(): void {
    for (const [model, ids] of this.originals)
      for (const [id, original] of ids) {
        if (original) this.table(model).set(id, original);
        else this.table(model).delete(id);
      }
    this.originals.clear();
  }

  /** A small persisted setting (sequence numbers, the current API key, counters). */
  meta(key: string): string | undefined {
    return this.metaGet.get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.metaPut.run(key, value);
  }

  close(): void {
    this.db.close();
  }

  private table(model: string): Map<number, Row> {
    let table = this.tables.get(model);
    if (!table) this.tables.set(model, (table = new Map()));
    return table;
  }

  private remember(model: string, id: number, original: Row | undefined): void {
    let ids = this.originals.get(model);
    if (!ids) this.originals.set(model, (ids = new Map()));
    if (!ids.has(id)) ids.set(id, original);
  }
}
