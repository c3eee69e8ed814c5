import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openPostgresConsoleDb } from './postgres/console-db-postgres';

/**
 * The console's own transactional state (people, sessions, API tokens, the exception queue,
 * remediation proposals, the audit log, alerting): a SQLite file by default, or a shared
 * PostgreSQL when `DATABASE_URL` is set (`postgres/console-db-postgres.ts`). The stores use this
 * much of better-sqlite3's API, which the PostgreSQL side provides too; where the two dialects
 * cannot say a thing the same way (JSON functions), a store asks `dialect`.
 */
export type ConsoleDb = Pick<Database.Database, 'prepare' | 'exec' | 'transaction' | 'close'> & { readonly dialect: 'sqlite' | 'postgres' };

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
  // Exceptions: every source of trouble, grouped into incidents (support's triage queue).
  `CREATE TABLE incidents (
     id INTEGER PRIMARY KEY,
     group_key TEXT NOT NULL UNIQUE,
     category TEXT NOT NULL,
     partner TEXT NOT NULL,
     operation TEXT NOT NULL,
     signature TEXT NOT NULL,
     sample_error TEXT NOT NULL,
     status TEXT NOT NULL DEFAULT 'open',
     assignee TEXT,
     resolution_note TEXT,
     resolved_by TEXT,
     resolved_at INTEGER,
     first_seen INTEGER NOT NULL,
     last_seen INTEGER NOT NULL,
     members INTEGER NOT NULL DEFAULT 0,
     open_members INTEGER NOT NULL DEFAULT 0,
     classification TEXT,
     classified_at INTEGER,
     confirmed_category TEXT,
     confirmed_action TEXT,
     confirmed_by TEXT
   );
   CREATE INDEX incidents_by_status ON incidents(status, last_seen);
   CREATE TABLE exceptions (
     id INTEGER PRIMARY KEY,
     source_key TEXT NOT NULL UNIQUE,
     incident_id INTEGER NOT NULL REFERENCES incidents(id),
     source TEXT NOT NULL,
     correlation_id TEXT,
     process TEXT,
     warehouse TEXT,
     partner TEXT NOT NULL,
     operation TEXT NOT NULL,
     error TEXT NOT NULL,
     http_status INTEGER,
     attempts INTEGER NOT NULL DEFAULT 1,
     category TEXT NOT NULL,
     dead_letter_id TEXT,
     open INTEGER NOT NULL DEFAULT 1,
     closed_reason TEXT,
     first_seen INTEGER NOT NULL,
     last_seen INTEGER NOT NULL
   );
   CREATE INDEX exceptions_by_incident ON exceptions(incident_id, open);
   CREATE INDEX exceptions_by_correlation ON exceptions(correlation_id);
   CREATE TABLE intake_cursors (
     source TEXT PRIMARY KEY,
     position TEXT NOT NULL
   );`,
  // Remediation proposals and the append-only, hash-chained audit log.
  `CREATE TABLE proposals (
     id TEXT PRIMARY KEY,
     incident_id INTEGER REFERENCES incidents(id),
     action TEXT NOT NULL,
     params TEXT NOT NULL,
     targets TEXT NOT NULL,
     origin TEXT NOT NULL,
     suggestion TEXT,
     proposed_by TEXT NOT NULL,
     participants TEXT NOT NULL,
     status TEXT NOT NULL,
     decided_by TEXT,
     decided_at INTEGER,
     decision_note TEXT,
     outcome TEXT,
     finished_at INTEGER,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE INDEX proposals_by_status ON proposals(status, created_at);
   CREATE INDEX proposals_by_incident ON proposals(incident_id);
   CREATE TABLE audit_log (
     seq INTEGER PRIMARY KEY,
     at INTEGER NOT NULL,
     actor TEXT NOT NULL,
     action TEXT NOT NULL,
     subject TEXT NOT NULL,
     detail TEXT NOT NULL,
     prev_hash TEXT NOT NULL,
     hash TEXT NOT NULL
   );
   CREATE INDEX audit_by_subject ON audit_log(subject);
   CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
   CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;`,
  // Alerting: rules, alert instances and their history, notification groups, silences and
  // maintenance windows, on-call schedules, mail templates and the outbox of alert email.
  `ALTER TABLE users ADD COLUMN email TEXT;
   CREATE TABLE alert_rules (
     id TEXT PRIMARY KEY,
     definition TEXT NOT NULL,
     updated_by TEXT NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE TABLE alerts (
     id INTEGER PRIMARY KEY,
     fingerprint TEXT NOT NULL,
     rule_id TEXT NOT NULL,
     group_key TEXT NOT NULL,
     labels TEXT NOT NULL,
     severity TEXT NOT NULL,
     state TEXT NOT NULL,
     value REAL NOT NULL,
     summary TEXT NOT NULL,
     affected TEXT NOT NULL DEFAULT '[]',
     pending_since INTEGER NOT NULL,
     firing_since INTEGER,
     last_true_at INTEGER NOT NULL,
     resolved_at INTEGER,
     evaluated_at INTEGER NOT NULL
   );
   CREATE UNIQUE INDEX alerts_active_by_fingerprint ON alerts(fingerprint) WHERE state != 'resolved';
   CREATE INDEX alerts_by_group ON alerts(group_key, state);
   CREATE INDEX alerts_by_state ON alerts(state, pending_since);
   CREATE TABLE alert_groups (
     id INTEGER PRIMARY KEY,
     group_key TEXT NOT NULL,
     schedule_id TEXT NOT NULL,
     status TEXT NOT NULL,
     opened_at INTEGER NOT NULL,
     first_notified_at INTEGER,
     last_notified_at INTEGER,
     notified TEXT NOT NULL DEFAULT '[]',
     acknowledged_by TEXT,
     acknowledged_at INTEGER,
     escalation_level INTEGER NOT NULL DEFAULT 0,
     escalated_at INTEGER,
     resolved_at INTEGER
   );
   CREATE UNIQUE INDEX alert_groups_open_by_key ON alert_groups(group_key) WHERE status = 'open';
   CREATE INDEX alert_groups_by_status ON alert_groups(status, opened_at);
   CREATE TABLE alert_events (
     id INTEGER PRIMARY KEY,
     at INTEGER NOT NULL,
     kind TEXT NOT NULL,
     group_id INTEGER,
     alert_id INTEGER,
     actor TEXT NOT NULL,
     detail TEXT NOT NULL
   );
   CREATE INDEX alert_events_by_time ON alert_events(at);
   CREATE INDEX alert_events_by_group ON alert_events(group_id, at);
   CREATE TABLE silences (
     id INTEGER PRIMARY KEY,
     kind TEXT NOT NULL,
     matchers TEXT NOT NULL,
     starts_at INTEGER NOT NULL,
     ends_at INTEGER NOT NULL,
     author TEXT NOT NULL,
     reason TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expired_by TEXT,
     expired_at INTEGER
   );
   CREATE INDEX silences_by_end ON silences(ends_at);
   CREATE TABLE oncall_schedules (
     id TEXT PRIMARY KEY,
     definition TEXT NOT NULL,
     updated_by TEXT NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE TABLE mail_templates (
     kind TEXT PRIMARY KEY,
     subject TEXT NOT NULL,
     body TEXT NOT NULL,
     updated_by TEXT NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE TABLE mail_outbox (
     id INTEGER PRIMARY KEY,
     group_id INTEGER,
     kind TEXT NOT NULL,
     recipient TEXT NOT NULL,
     subject TEXT NOT NULL,
     text_body TEXT NOT NULL,
     html_body TEXT NOT NULL,
     status TEXT NOT NULL DEFAULT 'pending',
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at INTEGER NOT NULL,
     last_error TEXT,
     message_id TEXT,
     created_at INTEGER NOT NULL,
     sent_at INTEGER
   );
   CREATE INDEX mail_outbox_due ON mail_outbox(status, next_attempt_at);
   CREATE INDEX mail_outbox_by_group ON mail_outbox(group_id);`,
  // The outbox keeps each message's headers (Message-ID, threading, X-Crossdock-*) as JSON, so a
  // retry sends exactly what was composed.
  `ALTER TABLE mail_outbox ADD COLUMN headers TEXT NOT NULL DEFAULT '{}';`,
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
  return Object.assign(db, { dialect: 'sqlite' as const });
}

/** The console database the configuration names: PostgreSQL when `DATABASE_URL` is set, else `console.db` in the data directory. */
export function openConsoleState(config: { console: { databaseUrl?: string }; paths: { dataDir: string } }): ConsoleDb {
  return config.console.databaseUrl ? openPostgresConsoleDb(config.console.databaseUrl) : openConsoleDb(consoleDbPath(config.paths.dataDir));
}

/** Whether a write was refused because the row already exists (a login, a token name), on either engine. */
export const isUniqueViolation = (error: unknown): boolean => ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY', '23505'].includes(String((error as { code?: unknown }).code));
