import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { forCluster } from './cluster-ddl';
import type { ClickHouse } from './connect';
import { splitStatements } from './sql-statements';

/** A migration as found: `NNNN_description.sql` and its text. */
export interface MigrationSource {
  file: string;
  sql: string;
}

/** A validated migration, ready to apply. */
export interface Migration extends MigrationSource {
  version: number;
  checksum: string;
}

export interface MigrationReport {
  /** Files applied by this run, in order. */
  applied: string[];
  /** How many were already applied before this run. */
  unchanged: number;
}

export interface MigrationState {
  applied: number;
  pending: string[];
}

/** A migration is malformed, was changed after it was applied, is missing, or failed. */
export class MigrationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** The ledger of applied migrations; on a cluster it is replicated like every other table. */
export const LEDGER_DDL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version UInt32,
  file String,
  checksum String,
  applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = MergeTree ORDER BY version`;

/** Reads `NNNN_description.sql` files from a directory (the CLI and tests; the console bundles them). */
export async function readMigrationDir(dir: string): Promise<MigrationSource[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  return Promise.all(files.map(async (file) => ({ file, sql: await readFile(join(dir, file), 'utf8') })));
}

/** Validates names, orders by version and computes checksums. */
export function prepareMigrations(sources: MigrationSource[]): Migration[] {
  const migrations = sources.map(({ file, sql }) => {
    const match = FILE_NAME.exec(file);
    if (!match)
      throw new MigrationError(
        `migration file name ${JSON.stringify(file)} must look like NNNN_description.sql (four digits, lower-case words joined by underscores)`,
      );
    return { file, sql, version: Number(match[1]), checksum: checksumOf(sql) };
  });
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++)
    if (migrations[i].version === migrations[i - 1].version)
      throw new MigrationError(
        `migrations ${migrations[i - 1].file} and ${migrations[i].file} share version ${migrations[i].version}; number new migrations max + 1`,
      );
  return migrations;
}

/**
 * Applies pending migrations in version order and records each with its checksum in
 * `schema_migrations`. Re-running is a no-op. Refuses to run when an applied migration's file
 * changed or disappeared: applied migrations are history and must not be rewritten.
 *
 * On a cluster (`ch.cluster`) each statement runs in its cluster form (`forCluster`: ON CLUSTER,
 * Replicated engines); the ledger still records the file's checksum, so switching a deployment
 * to a cluster does not make its history look changed.
 */
export async function migrate(ch: ClickHouse, sources: MigrationSource[]): Promise<MigrationReport> {
  const migrations = prepareMigrations(sources);
  await ch.client.command({ query: ddl(ch, LEDGER_DDL) });
  const ledger = await readLedger(ch);
  verifyHistory(migrations, ledger);

  // Every pending file is read (and put in cluster form) before the first statement runs, so a
  // statement the cluster form refuses stops the run with nothing half-applied.
  const pending = migrations
    .filter((migration) => !ledger.has(migration.version))
    .map((migration) => ({ migration, statements: statementsOf(ch, migration) }));
  for (const { migration, statements } of pending) await apply(ch, migration, statements);
  return { applied: pending.map(({ migration }) => migration.file), unchanged: migrations.length - pending.length };
}

/** How many migrations are applied and which are pending, without changing anything. */
export async function migrationState(ch: ClickHouse, sources: MigrationSource[]): Promise<MigrationState> {
  const migrations = prepareMigrations(sources);
  // /healthz asks every few seconds; on a cluster every CREATE, even a no-op, is a task queued
  // in Keeper for each replica, so the ledger is created only when it is missing.
  if (!(await ledgerExists(ch))) await ch.client.command({ query: ddl(ch, LEDGER_DDL) });
  const ledger = await readLedger(ch);
  verifyHistory(migrations, ledger);
  return {
    applied: ledger.size,
    pending: migrations.filter((m) => !ledger.has(m.version)).map((m) => m.file),
  };
}

interface LedgerRow {
  version: number;
  file: string;
  checksum: string;
}

async function ledgerExists(ch: ClickHouse): Promise<boolean> {
  const result = await ch.client.query({ query: 'EXISTS TABLE schema_migrations', format: 'JSONEachRow' });
  const [row] = await result.json<{ result: number | string }>();
  return Number(row?.result) === 1;
}

/** The statement as it runs here: unchanged on one server, in cluster form on a cluster. */
function ddl(ch: ClickHouse, statement: string): string {
  return ch.cluster ? forCluster(statement, ch.cluster) : statement;
}

async function readLedger(ch: ClickHouse): Promise<Map<number, LedgerRow>> {
  const result = await ch.client.query({
    query: 'SELECT version, file, checksum FROM schema_migrations ORDER BY version',
    format: 'JSONEachRow',
  });
  const rows = await result.json<LedgerRow>();
  return new Map(rows.map((row) => [Number(row.version), row]));
}

function verifyHistory(migrations: Migration[], ledger: Map<number, LedgerRow>) {
  const byVersion = new Map(migrations.map((m) => [m.version, m]));
  for (const row of ledger.values()) {
    const migration = byVersion.get(Number(row.version));
    if (!migration)
      throw new MigrationError(
        `migration ${row.file} is recorded as applied but its file is missing; restore it (applied migrations are never deleted)`,
      );
    if (migration.checksum !== row.checksum)
      throw new MigrationError(
        `migration ${migration.file} was changed after it was applied (recorded checksum ${row.checksum.slice(0, 12)}, file now ${migration.checksum.slice(0, 12)}); revert the file and put the change in a new migration`,
      );
  }
}

function statementsOf(ch: ClickHouse, migration: Migration): string[] {
  let statements: string[];
  try {
    statements = splitStatements(migration.sql);
  } catch (error) {
    throw new MigrationError(`migration ${migration.file} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  return statements.map((statement, index) => {
    try {
      return ddl(ch, statement);
    } catch (error) {
      throw new MigrationError(
        `migration ${migration.file} cannot run on cluster ${ch.cluster} (statement ${index + 1} of ${statements.length}): ${(error as Error).message}`,
        { cause: error },
      );
    }
  });
}

async function apply(ch: ClickHouse, migration: Migration, statements: string[]) {
  for (const [index, statement] of statements.entries()) {
    try {
      await ch.client.command({ query: statement });
    } catch (error) {
      // Statements are IF NOT EXISTS-safe, so fixing the file and re-running resumes cleanly.
      throw new MigrationError(
        `migration ${migration.file} failed at statement ${index + 1} of ${statements.length}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  await ch.client.insert({
    table: 'schema_migrations',
    values: [{ version: migration.version, file: migration.file, checksum: migration.checksum }],
    format: 'JSONEachRow',
  });
}

// Line endings are normalised so a checkout with CRLF conversion does not look like tampering.
function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}
