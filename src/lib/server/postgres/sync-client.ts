import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

/** What PostgreSQL answered to one statement. */
export interface PgResult {
  rows: Record<string, unknown>[];
  rowCount: number;
}

/** PostgreSQL refused a statement (its SQLSTATE in `code`) or did not answer in time. */
export class PostgresError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'PostgresError';
  }
}

type Reply = { id: number; rows: Record<string, unknown>[]; rowCount: number } | { id: number; error: { message: string; code?: string } };

// The worker owns one connection and answers one statement at a time; it wakes the caller
// through the shared flag. CommonJS, evaluated: the console's server bundle has no worker file.
const workerSource = `
const { workerData } = require('node:worker_threads');
const pg = require(workerData.pgPath);
// COUNT and BIGINT columns (epoch milliseconds) as numbers, as SQLite gives them; sums too.
pg.types.setTypeParser(20, Number);
pg.types.setTypeParser(1700, Number);
const flag = new Int32Array(workerData.flag);
const port = workerData.port;
const client = new pg.Client({ connectionString: workerData.url, statement_timeout: workerData.timeoutMs, application_name: workerData.name });
const connected = client.connect();
connected.catch(() => undefined);
const answer = (reply) => {
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
};
port.on('message', async ({ id, sql, params, close }) => {
  if (close) {
    await client.end().catch(() => undefined);
    answer({ id, rows: [], rowCount: 0 });
    port.close();
    return;
  }
  try {
    await connected;
    // Without parameters, the simple protocol: several statements in one (schema steps).
    const result = await client.query(params.length ? { text: sql, values: params } : sql);
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    answer({ id, rows: last.rows ?? [], rowCount: last.rowCount ?? 0 });
  } catch (error) {
    answer({ id, error: { message: error.message, code: error.code } });
  }
});
`;

/**
 * A synchronous PostgreSQL connection: each call blocks the calling thread until a worker
 * thread, which owns the connection (node-postgres), has the answer. It lets the console's
 * stores, written against SQLite's synchronous API, keep that API on a shared PostgreSQL.
 *
 * The price is the event loop waiting on the network for each statement, as it waits on the
 * disk with SQLite: fine for the console's small, indexed statements on a nearby server (about
 * 0.1 ms on loopback), bounded by `timeoutMs` (the server's `statement_timeout` too), and the
 * reason this is not the path for anything hot.
 */
export class SyncPgClient {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 1;
  private closed = false;

  constructor(
    url: string,
    private readonly options: { timeoutMs?: number; name?: string } = {},
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const pgPath = createRequire(import.meta.url).resolve('pg');
    this.worker = new Worker(workerSource, {
      eval: true,
      workerData: { url, pgPath, flag: this.flag.buffer, port: port2, timeoutMs: this.timeoutMs, name: options.name ?? 'crossdock' },
      transferList: [port2],
    });
    this.worker.unref();
  }

  private get timeoutMs() {
    return this.options.timeoutMs ?? 5_000;
  }

  query(sql: string, params: unknown[] = []): PgResult {
    if (this.closed) throw new PostgresError('the PostgreSQL connection is closed');
    const reply = this.call({ sql, params });
    if ('error' in reply) throw new PostgresError(reply.error.message, reply.error.code);
    return reply;
  }

  close(): void {
    if (this.closed) return;
    try {
      this.call({ close: true });
    } finally {
      this.closed = true;
      this.port.close();
      void this.worker.terminate();
    }
  }

  private call(message: Record<string, unknown>): Reply {
    const id = this.nextId++;
    // Connecting (the first call) may take a moment more than a statement.
    const deadline = Date.now() + this.timeoutMs + (id === 1 ? 10_000 : 1_000);
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ id, ...message });
    for (;;) {
      // Drain before waiting: a reply posted between the drain and the wait has set the flag, so the wait returns at once.
      for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) {
        const reply = m.message as Reply;
        if (reply.id === id) return reply;
        // A late answer to a call that timed out: dropped.
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new PostgresError(`PostgreSQL did not answer within ${this.timeoutMs} ms`, '57014');
      Atomics.wait(this.flag, 0, 0, left);
      Atomics.store(this.flag, 0, 0);
    }
  }
}
