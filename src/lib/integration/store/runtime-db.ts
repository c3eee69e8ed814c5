import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The runtime's embedded database: one SQLite file holding the bus, dead letters, idempotency keys and the ledger. */
export type RuntimeDb = Database.Database;

/** Where the runtime keeps its embedded state under the data directory. */
export function runtimeDbPath(dataDir: string): string {
  return join(dataDir, 'runtime.db');
}

/**
 * Opens (creating if needed) the runtime database in WAL mode.
 *
 * `synchronous = NORMAL` in WAL mode makes every committed transaction survive a process crash
 * (`kill -9`); only an operating-system crash or power loss can lose the last few commits. That
 * is the failure the runtime is designed around, and FULL would cost an fsync per message.
 * `busy_timeout` lets several processes share the file (a CLI reading dead letters while the
 * runtime works).
 */
export function openRuntimeDb(path: string): RuntimeDb {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}
