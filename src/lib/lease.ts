import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';

/** Who holds a lease now, as the health endpoints show it. */
export interface LeaseStatus {
  /** This process's name in the lease table. */
  holder: string;
  /** Whether this process holds the lease. */
  held: boolean;
  /** The process that holds the lease, when one does. */
  heldBy?: string;
  expiresAt?: string;
}

/** What a lease needs of a database: the runtime's SQLite, or the console's SQLite or PostgreSQL. */
export type LeaseDb = Pick<Database.Database, 'prepare' | 'exec'>;

/**
 * One process at a time does a duty that several could: the runtime's sources (Odoo poll,
 * warehouse inboxes) when runtimes share a data directory and a stream, the console's background
 * passes (exception intake, alert evaluation, mail) when replicas share a PostgreSQL. The lease
 * is a row in the shared database, taken or renewed in one conditional upsert (so two processes
 * can never both win it), renewed every third of its time to live, released on a graceful stop
 * and taken over by another process once it expires after a crash.
 *
 * It is not a fence: a holder stalled past its lease may finish the pass it was in while the
 * next holder starts one. The duties it guards are idempotent (Odoo records by version, files
 * by name, events by idempotency key, alert transitions by state); the lease saves duplicate
 * work, it does not make effects exactly-once.
 */
export class Lease {
  readonly holder: string;
  #held = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #take;
  readonly #release;
  readonly #read;

  constructor(
    db: LeaseDb,
    private readonly options: { name: string; ttlMs: number; holder?: string; clock?: () => number },
  ) {
    this.holder = options.holder ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    // Written in the SQL both engines read (BIGINT: epoch milliseconds).
    db.exec(`CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at BIGINT NOT NULL)`);
    this.#take = db.prepare<[string, string, number, number]>(
      `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
    );
    this.#release = db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?');
    this.#read = db.prepare<[string], { holder: string; expires_at: number }>('SELECT holder, expires_at FROM leases WHERE name = ?');
  }

  private get name() {
    return this.options.name;
  }

  private now() {
    return (this.options.clock ?? Date.now)();
  }

  /** Whether this process held the lease at the last renewal. */
  get held(): boolean {
    return this.#held;
  }

  /** Takes the lease if it is free or expired, renews it if it is ours; answers whether it is ours. */
  renew(): boolean {
    const now = this.now();
    this.#held = this.#take.run(this.name, this.holder, now + this.options.ttlMs, now).changes > 0;
    return this.#held;
  }

  /** Renews now and then every third of the lease's time to live, until `stop`. */
  start(): this {
    this.renew();
    this.#timer = setInterval(() => {
      try {
        this.renew();
      } catch {
        // A busy or briefly unavailable database: we cannot prove we hold it, so we do not.
        this.#held = false;
      }
    }, Math.max(100, Math.floor(this.options.ttlMs / 3)));
    this.#timer.unref();
    return this;
  }

  /** Stops renewing and gives the lease up, so another runtime takes over at its next renewal. */
  stop(): void {
    clearInterval(this.#timer);
    if (this.#held) this.#release.run(this.name, this.holder);
    this.#held = false;
  }

  status(): LeaseStatus {
    const row = this.#read.get(this.name);
    const live = row && row.expires_at > this.now();
    return {
      holder: this.holder,
      held: this.#held,
      ...(live ? { heldBy: row.holder, expiresAt: new Date(row.expires_at).toISOString() } : {}),
    };
  }
}
