import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '../../canonical/envelope';
import type { ServiceClass } from '../../canonical/primitives';
import { openRuntimeDb, type RuntimeDb } from '../../store/runtime-db';
import {
  topicProblem,
  type BusCapabilities,
  type Delivery,
  type MessageBus,
  type PublishOptions,
  type PublishResult,
  type QueueStats,
  type SubscribeOptions,
  type Subscription,
} from '../types';
import { createBusSchema } from './schema';
import { SqliteDelivery } from './sqlite-delivery';
import { SqliteSubscription } from './sqlite-subscription';
import { prepareBusStatements, type BusStatements } from './statements';

/** Options for the embedded bus. */
export interface SqliteBusOptions {
  /** An open runtime database, or a path to open (and close with the bus). */
  db: RuntimeDb | string;
  /** How long a delivery stays leased without a heartbeat, in ms. @defaultValue 30000 */
  leaseMs?: number;
  /** How long a published message id is remembered for de-duplication, in ms. @defaultValue 120000 (JetStream's default) */
  dedupWindowMs?: number;
  /**
   * How often an idle subscription looks for work published by other processes, due retries
   * and expired leases, in ms. Publishes in this process wake it at once. @defaultValue 50
   */
  pollMs?: number;
}

const classes: ServiceClass[] = ['realtime', 'standard', 'batch'];

/**
 * The embedded bus: a SQLite table in WAL mode. A publish resolves after its transaction
 * commits, so an acknowledged publish survives `kill -9`. Deliveries are leases with a token;
 * an expired lease makes the row eligible again, and the token fences the late ack of the
 * worker that lost it.
 */
export class SqliteBus implements MessageBus {
  readonly system = 'sqlite';
  readonly capabilities: BusCapabilities = { orderingKeys: true, fencedAck: true };
  readonly leaseMs: number;
  readonly pollMs: number;
  private readonly db: RuntimeDb;
  private readonly ownsDb: boolean;
  private readonly statements: BusStatements;
  private readonly dedupWindowMs: number;
  private readonly subscriptions = new Set<SqliteSubscription>();
  private readonly pruneTimer: NodeJS.Timeout;
  private readonly publishTx: (topic: string, envelope: EventEnvelope, key: string | null) => boolean;

  constructor(options: SqliteBusOptions) {
    this.ownsDb = typeof options.db === 'string';
    this.db = typeof options.db === 'string' ? openRuntimeDb(options.db) : options.db;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 50;
    this.dedupWindowMs = options.dedupWindowMs ?? 120_000;
    createBusSchema(this.db);
    this.statements = prepareBusStatements(this.db);
    this.publishTx = this.db.transaction((topic: string, envelope: EventEnvelope, key: string | null) => {
      const now = Date.now();
      const fresh = this.statements.rememberId.run({ topic, id: envelope.id, now, windowStart: now - this.dedupWindowMs });
      if (fresh.changes === 0) return false;
      this.statements.insert.run({
        id: envelope.id,
        topic,
        cls: envelope.serviceclass,
        key,
        envelope: JSON.stringify(envelope),
        now,
      });
      return true;
    });
    this.pruneTimer = setInterval(() => this.pruneIds(), Math.max(1_000, this.dedupWindowMs / 4));
    this.pruneTimer.unref();
  }

  async publish(topic: string, envelope: EventEnvelope, options: PublishOptions = {}): Promise<PublishResult> {
    const problem = topicProblem(topic);
    if (problem) throw new TypeError(problem);
    const stored = this.publishTx(topic, envelope, options.orderingKey ?? null);
    if (stored) for (const s of this.subscriptions) if (s.serviceClass === envelope.serviceclass) s.wake();
    return { duplicate: !stored };
  }

  subscribe(serviceClass: ServiceClass, options: SubscribeOptions): Subscription {
    const subscription = new SqliteSubscription(this, serviceClass, options.maxInFlight, () =>
      this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Leases up to `max` eligible messages of a class. Used by subscriptions. */
  lease(serviceClass: ServiceClass, max: number, onSettle: () => void): Delivery[] {
    const now = Date.now();
    const token = randomUUID();
    const rows = this.statements.lease.all({ cls: serviceClass, now, token, until: now + this.leaseMs, max });
    rows.sort((a, b) => a.seq - b.seq);
    return rows.map((row) => new SqliteDelivery(row, token, now, this.statements, this.leaseMs, onSettle));
  }

  async stats(): Promise<QueueStats[]> {
    const now = Date.now();
    const rows = new Map(this.statements.stats.all().map((r) => [r.service_class, r]));
    return classes.map((serviceClass) => {
      const row = rows.get(serviceClass);
      return { serviceClass, depth: row?.depth ?? 0, oldestAgeMs: row ? Math.max(0, now - row.oldest) : 0 };
    });
  }

  async close(): Promise<void> {
    clearInterval(this.pruneTimer);
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    if (this.ownsDb) this.db.close();
  }

  private pruneIds(): void {
    if (this.db.open) this.statements.prune.run({ before: Date.now() - this.dedupWindowMs });
  }
}
