import type { RuntimeDb } from '../store/runtime-db';

/** One difference reconciliation found between Odoo and a warehouse. */
export interface Difference {
  kind: 'stock' | 'order_not_at_warehouse' | 'order_event_missed' | 'warehouse_unreachable';
  warehouseId: string;
  /** The SKU or order id it is about. */
  subject: string;
  odooValue: string | null;
  warehouseValue: string | null;
  detail: string;
  /** Odoo was brought to the warehouse's count. */
  corrected: boolean;
}

export interface ReconciliationRun {
  runId: string;
  requestedBy: string;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'finished' | 'failed';
  differences: Difference[];
}

/** Every reconciliation run and what it found, for the admin API and the console. */
export class ReconciliationStore {
  readonly #start;
  readonly #finish;
  readonly #add;
  readonly #clear;
  readonly #run;
  readonly #differences;
  readonly #latest;

  constructor(private readonly db: RuntimeDb) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS reconciliation_runs (run_id TEXT PRIMARY KEY, requested_by TEXT NOT NULL, started_at TEXT NOT NULL,
        finished_at TEXT, status TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS reconciliation_differences (run_id TEXT NOT NULL REFERENCES reconciliation_runs (run_id), kind TEXT NOT NULL,
        warehouse_id TEXT NOT NULL, subject TEXT NOT NULL, odoo_value TEXT, warehouse_value TEXT, detail TEXT NOT NULL, corrected INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS reconciliation_differences_run ON reconciliation_differences (run_id);`);
    this.#start = db.prepare(`INSERT INTO reconciliation_runs VALUES (?, ?, ?, NULL, 'running')
      ON CONFLICT (run_id) DO UPDATE SET started_at = excluded.started_at, finished_at = NULL, status = 'running'`);
    this.#clear = db.prepare('DELETE FROM reconciliation_differences WHERE run_id = ?');
    this.#finish = db.prepare('UPDATE reconciliation_runs SET finished_at = ?, status = ? WHERE run_id = ?');
    this.#add = db.prepare('INSERT INTO reconciliation_differences VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.#run = db.prepare<[string], { run_id: string; requested_by: string; started_at: string; finished_at: string | null; status: ReconciliationRun['status'] }>(
      'SELECT * FROM reconciliation_runs WHERE run_id = ?',
    );
    this.#differences = db.prepare<[string], Record<string, string | number | null>>('SELECT * FROM reconciliation_differences WHERE run_id = ? ORDER BY rowid');
    this.#latest = db.prepare<[number], { run_id: string }>('SELECT run_id FROM reconciliation_runs ORDER BY started_at DESC LIMIT ?');
  }

  /** Starts (or restarts, after a crash mid-run) a run; a restart forgets the half-recorded differences. */
  start(runId: string, requestedBy: string, now = new Date()): void {
    this.db.transaction(() => {
      this.#start.run(runId, requestedBy, now.toISOString());
      this.#clear.run(runId);
    })();
  }

  record(runId: string, d: Difference): void {
    this.#add.run(runId, d.kind, d.warehouseId, d.subject, d.odooValue, d.warehouseValue, d.detail, d.corrected ? 1 : 0);
  }

  finish(runId: string, status: 'finished' | 'failed', now = new Date()): void {
    this.#finish.run(now.toISOString(), status, runId);
  }

  get(runId: string): ReconciliationRun | undefined {
    const row = this.#run.get(runId);
    if (!row) return undefined;
    const differences = this.#differences.all(runId).map((d) => ({
      kind: d.kind as Difference['kind'],
      warehouseId: String(d.warehouse_id),
      subject: String(d.subject),
      odooValue: d.odoo_value === null ? null : String(d.odoo_value),
      warehouseValue: d.warehouse_value === null ? null : String(d.warehouse_value),
      detail: String(d.detail),
      corrected: d.corrected === 1,
    }));
    return { runId: row.run_id, requestedBy: row.requested_by, startedAt: row.started_at, finishedAt: row.finished_at, status: row.status, differences };
  }

  latest(limit = 20): ReconciliationRun[] {
    return this.#latest.all(limit).map((r) => this.get(r.run_id)!);
  }
}
