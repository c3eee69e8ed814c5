import type { RuntimeDb } from '../store/runtime-db';

/** The answer to "have we seen this key?" */
export type ClaimResult = { status: 'new' } | { status: 'duplicate'; firstSeenAt: number; messageId: string };

/**
 * Inbound de-duplication by idempotency key within a window, persisted in the runtime database
 * so a restart does not forget what was received. Keys are reserved eagerly (before the
 * message is enqueued, catching two concurrent copies) and released when enqueueing fails, so a
 * sender's retry is then accepted (Camel's idempotent consumer semantics).
 */
export class InboundDeduplicator {
  private readonly claimTx;
  private readonly releaseStmt;
  private readonly pruneStmt;
  /** Releases the database refused (a full disk): retried before every claim, never answered as duplicates. */
  private readonly unreleased = new Map<string, { scope: string; key: string; messageId: string }>();

  constructor(
    db: RuntimeDb,
    /** How long a key is remembered, in ms. */
    readonly windowMs: number,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS inbound_keys (
      scope TEXT NOT NULL, key TEXT NOT NULL, message_id TEXT NOT NULL, first_seen_at INTEGER NOT NULL,
      PRIMARY KEY (scope, key)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS inbound_keys_age ON inbound_keys (first_seen_at);`);
    const find = db.prepare<[string, string], { message_id: string; first_seen_at: number }>(
      'SELECT message_id, first_seen_at FROM inbound_keys WHERE scope = ? AND key = ?',
    );
    const put = db.prepare('INSERT OR REPLACE INTO inbound_keys VALUES (?, ?, ?, ?)');
    this.claimTx = db.transaction((scope: string, key: string, messageId: string, now: number): ClaimResult => {
      const seen = find.get(scope, key);
      if (seen && seen.first_seen_at > now - this.windowMs)
        return { status: 'duplicate', firstSeenAt: seen.first_seen_at, messageId: seen.message_id };
      put.run(scope, key, messageId, now);
      return { status: 'new' };
    });
    this.releaseStmt = db.prepare('DELETE FROM inbound_keys WHERE scope = ? AND key = ? AND message_id = ?');
    this.pruneStmt = db.prepare('DELETE FROM inbound_keys WHERE first_seen_at <= ?');
  }

  /** Reserves `key` within `scope` (the sender) for `messageId`, unless it was seen inside the window. */
  claim(scope: string, key: string, messageId: string, now = Date.now()): ClaimResult {
    this.retryReleases();
    if (this.unreleased.has(`${scope}\u0000${key}`))
      throw new Error(`the runtime database could not yet give back the key ${key} of a message it failed to take (is the data directory full?); retry later`);
    // IMMEDIATE: the read and the write hold one write lock, so two runtime processes sharing
    // the database cannot both read "unseen" (a deferred transaction would fail to upgrade instead).
    return this.claimTx.immediate(scope, key, messageId, now);
  }

  /** Gives the key back after enqueueing failed, so the sender's retry is not refused as a duplicate. */
  release(scope: string, key: string, messageId: string): void {
    try {
      this.releaseStmt.run(scope, key, messageId);
    } catch {
      // Kept in memory and retried: a key left claimed would turn the sender's retry into a "duplicate" and lose it.
      this.unreleased.set(`${scope}\u0000${key}`, { scope, key, messageId });
    }
  }

  private retryReleases(): void {
    for (const [id, { scope, key, messageId }] of this.unreleased) {
      try {
        this.releaseStmt.run(scope, key, messageId);
        this.unreleased.delete(id);
      } catch {
        return;
      }
    }
  }

  /** Forgets keys older than the window. */
  prune(now = Date.now()): number {
    return this.pruneStmt.run(now - this.windowMs).changes;
  }
}
