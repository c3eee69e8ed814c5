import type { ConsoleDb } from '../console-db';
import { toPostgres } from './dialect';
import { generatedKeys, postgresSchema } from './schema';
import { PostgresError, SyncPgClient } from './sync-client';

/** One advisory lock for every console transaction, as SQLite has one writer: replicas take turns. */
const TRANSACTION_LOCK = 0x63726f73; // 'cros'

type Params = unknown[];

/**
 * The console database on a shared PostgreSQL (`DATABASE_URL`), for several console replicas:
 * the part of better-sqlite3's API the stores use (`prepare` → `get`/`all`/`run`/`iterate`,
 * `exec`, `transaction`, `close`), on a synchronous connection (`SyncPgClient`).
 *
 * Transactions keep SQLite's guarantee that they run one at a time: each takes one
 * transaction-scoped advisory lock first, so a read-then-write in one replica cannot interleave
 * with another's. Nested transactions are savepoints, as in better-sqlite3.
 */
class PostgresConsoleDb {
  readonly dialect = 'postgres';
  private depth = 0;

  constructor(private readonly client: SyncPgClient) {}

  prepare(sql: string) {
    const text = toPostgres(sql, generatedKeys);
    const query = (params: Params) => this.client.query(text, bind(params));
    return {
      get: (...params: Params) => query(params).rows[0],
      all: (...params: Params) => query(params).rows,
      run: (...params: Params) => {
        const result = query(params);
        const key = result.rows[0] && Object.values(result.rows[0])[0];
        return { changes: result.rowCount, lastInsertRowid: typeof key === 'number' ? key : 0 };
      },
      *iterate(...params: Params) {
        yield* query(params).rows;
      },
    };
  }

  exec(sql: string): this {
    this.client.query(toPostgres(sql));
    return this;
  }

  transaction<F extends (...args: never[]) => unknown>(fn: F) {
    const run = (...args: Parameters<F>): ReturnType<F> => (this.depth > 0 ? this.nested(fn, args) : this.outer(fn, args));
    return Object.assign(run, { deferred: run, immediate: run, exclusive: run, default: run });
  }

  close(): void {
    this.client.close();
  }

  private outer<F extends (...args: never[]) => unknown>(fn: F, args: Parameters<F>): ReturnType<F> {
    this.client.query('BEGIN');
    this.depth = 1;
    try {
      this.client.query('SELECT pg_advisory_xact_lock($1)', [TRANSACTION_LOCK]);
      const result = settled(fn(...args)) as ReturnType<F>;
      this.client.query('COMMIT');
      return result;
    } catch (error) {
      rollbackQuietly(() => this.client.query('ROLLBACK'));
      throw error;
    } finally {
      this.depth = 0;
    }
  }

  private nested<F extends (...args: never[]) => unknown>(fn: F, args: Parameters<F>): ReturnType<F> {
    const savepoint = `crossdock_${this.depth}`;
    this.client.query(`SAVEPOINT ${savepoint}`);
    this.depth += 1;
    try {
      const result = settled(fn(...args)) as ReturnType<F>;
      this.client.query(`RELEASE SAVEPOINT ${savepoint}`);
      return result;
    } catch (error) {
      rollbackQuietly(() => this.client.query(`ROLLBACK TO SAVEPOINT ${savepoint}`));
      throw error;
    } finally {
      this.depth -= 1;
    }
  }
}

/** Positional parameters as better-sqlite3 takes them: arguments, or arrays of them. */
const bind = (params: Params): unknown[] => params.flat().map((p) => (p === undefined ? null : p));

function settled(result: unknown): unknown {
  if (result && typeof (result as Promise<unknown>).then === 'function') throw new TypeError('Transaction function cannot return a promise');
  return result;
}

function rollbackQuietly(rollback: () => void): void {
  try {
    rollback();
  } catch {
    // The connection is gone; the server rolls the transaction back itself.
  }
}

/**
 * Opens the console database on PostgreSQL and brings its schema up to date (under the same
 * advisory lock, so replicas starting together migrate once).
 */
export function openPostgresConsoleDb(url: string, options: { timeoutMs?: number } = {}): ConsoleDb {
  const client = new SyncPgClient(url, { name: 'crossdock-console', timeoutMs: options.timeoutMs });
  const db = new PostgresConsoleDb(client);
  try {
    db.transaction(() => {
      client.query('CREATE TABLE IF NOT EXISTS console_schema (steps INTEGER NOT NULL)');
      const applied = (client.query('SELECT steps FROM console_schema').rows[0]?.steps as number | undefined) ?? 0;
      if (applied > postgresSchema.length) throw new PostgresError(`the console database has ${applied} schema steps; this version knows ${postgresSchema.length}: it is newer than this console`);
      for (let i = applied; i < postgresSchema.length; i++) client.query(postgresSchema[i]);
      client.query('DELETE FROM console_schema');
      client.query('INSERT INTO console_schema (steps) VALUES ($1)', [postgresSchema.length]);
    })();
  } catch (error) {
    client.close();
    throw error;
  }
  // Structurally the subset of better-sqlite3's Database the stores use; see ConsoleDb.
  return db as unknown as ConsoleDb;
}
