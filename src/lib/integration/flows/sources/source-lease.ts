import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { RuntimeDb } from '../../store/runtime-db';

/** Who runs the sources now, as the admin API shows it. */
export interface SourceLeaseStatus {
  /** This process's name in the lease table. */
  holder: string;
  /** Whether this process runs the sources. */
  held: boolean;
  /** The process that holds the lease, when one does. */
  heldBy?: string;
  expiresAt?: string;
}

/**
 * One runtime at a time runs the sources (the Odoo poll, the warehouse inboxes, the overdue
 * checks) when several share a data directory and a JetStream stream: the others only work the
 * bus. The lease is a row in the runtime database, taken or renewed in one conditional upsert
 * (so two processes can never both win it), renewed every third of its time to live, released
 * on a graceful stop and taken over by another runtime once it expires after a crash.
 *
 * It is not a fence: a holder stalled past its lease may finish the round it was in while the
 * next holder starts one. That is safe because what the sources take is idempotent (Odoo records
 * by version, files by name, events by idempotency key); the lease saves the partners duplicate
 * reads, it does not make effects exactly-once.
 */
export class SourceLease {
  readonly holder: string;
  #held = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #take;
  readonly #release;
  readonly #read;

  constructor(
    db: RuntimeDb,
    private readonly options: { ttlMs: number; name?: string; holder?: string; clock?: () => number },
  ) {
    this.holder = options.holder ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    db.exec(`CREATE TABLE IF NOT EXISTS source_leases (
      name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID`);
    this.#take = db.prepare<{ name: string; holder: string; now: number; expiresAt: number }>(
      `INSERT INTO source_leases (name, holder, expires_at) VALUES (@name, @holder, @expiresAt)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE source_leases.holder = excluded.holder OR source_leases.expires_at <= @now`,
    );
    this.#release = db.prepare('DELETE FROM source_leases WHERE name = ? AND holder = ?');
    this.#read = db.prepare<[string], { holder: string; expires_at: number }>('SELECT holder, expires_at FROM source_leases WHERE name = ?');
  }

  private get name() {
    return this.options.name ?? 'sources';
  }

  private now() {
    return (this.options.clock ?? Date.now)();
  }

  /** Whether this process ran the sources at the last renewal. */
  get held(): boolean {
    return this.#held;
  }

  /** Takes the lease if it is free or expired, renews it if it is ours; answers whether it is ours. */
  renew(): boolean {
    const now = this.now();
    this.#held = this.#take.run({ name: this.name, holder: this.holder, now, expiresAt: now + this.options.ttlMs }).changes > 0;
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

  status(): SourceLeaseStatus {
    const row = this.#read.get(this.name);
    const live = row && row.expires_at > this.now();
    return {
      holder: this.holder,
      held: this.#held,
      ...(live ? { heldBy: row.holder, expiresAt: new Date(row.expires_at).toISOString() } : {}),
    };
  }
}
