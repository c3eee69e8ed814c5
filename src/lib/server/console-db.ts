import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The console's own transactional state (people, sessions, API tokens): a SQLite file. */
export type ConsoleDb = Database.Database;

export const consoleDbPath = (dataDir: string) => join(dataDir, 'console.db');

// Ordered schema steps; `user_version` records how many ran. Append, never edit.
const schema = [
  `CREATE TABLE users (
     id INTEGER PRIMARY KEY,
     login TEXT NOT NULL UNIQUE COLLATE NOCASE,
     name TEXT NOT NULL,
     role TEXT NOT NULL,
     password_hash TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     disabled INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE sessions (
     id_hash TEXT PRIMARY KEY,
     user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     csrf_token TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE INDEX sessions_by_expiry ON sessions(expires_at);
   CREATE TABLE api_tokens (
     id INTEGER PRIMARY KEY,
     name TEXT NOT NULL UNIQUE,
     role TEXT NOT NULL,
     token_hash TEXT NOT NULL UNIQUE,
     created_at INTEGER NOT NULL,
     revoked_at INTEGER,
     last_used_at INTEGER
   );
   CREATE TABLE login_failures (
     key TEXT NOT NULL,
     at INTEGER NOT NULL
   );
   CREATE INDEX login_failures_by_key ON login_failures(key, at);`,
];

/**
 * Opens the console database in WAL mode and brings its schema up to date. Several processes
 * may open it at once (the console, and `crossdock token create` while it runs).
 */
export function openConsoleDb(path: string): ConsoleDb {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  const applied = db.pragma('user_version', { simple: true }) as number;
  db.transaction(() => {
    for (let i = applied; i < schema.length; i++) db.exec(schema[i]);
    db.pragma(`user_version = ${schema.length}`);
  })();
  return db;
}
