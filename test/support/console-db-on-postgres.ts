// Setup for the `postgres` test project: every console database a test opens by path is a fresh
// schema in the PostgreSQL on 127.0.0.1:5432 instead of a SQLite file, so the stores' own tests
// run unchanged on both engines. The same path opens the same schema (a second connection).
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, vi } from 'vitest';
import { SyncPgClient } from '../../src/lib/server/postgres/sync-client';

const base = process.env.CROSSDOCK_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = randomBytes(3).toString('hex');
const schemas = new Set<string>();
let admin: SyncPgClient | undefined;

/** The connection string of the schema standing in for the SQLite file at `path`. */
export function postgresUrlFor(path: string): string {
  const schema = `t_${run}_${createHash('sha256').update(path).digest('hex').slice(0, 10)}`;
  if (!schemas.has(schema)) {
    (admin ??= new SyncPgClient(base)).query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    schemas.add(schema);
  }
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

vi.mock('../../src/lib/server/console-db', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/lib/server/console-db')>();
  const { openPostgresConsoleDb } = await import('../../src/lib/server/postgres/console-db-postgres');
  return { ...original, openConsoleDb: (path: string) => openPostgresConsoleDb(postgresUrlFor(path)) };
});

afterAll(() => {
  for (const schema of schemas) admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  admin?.close();
});
