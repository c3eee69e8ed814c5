import type { Statement } from 'better-sqlite3';
import type { RuntimeDb } from '../../store/runtime-db';

/** A leased row as the fetch returns it. */
export interface LeasedRow {
  seq: number;
  id: string;
  topic: string;
  envelope: string;
  deliveries: number;
  published_at: number;
}

/** The bus's prepared statements, compiled once per database. */
export interface BusStatements {
  rememberId: Statement<{ topic: string; id: string; now: number; windowStart: number }>;
  insert: Statement<{ id: string; topic: string; cls: string; key: string | null; envelope: string; now: number }>;
  lease: Statement<{ cls: string; now: number; token: string; until: number; max: number }, LeasedRow>;
  ack: Statement<{ seq: number; token: string }>;
  release: Statement<{ seq: number; token: string; at: number }>;
  extend: Statement<{ seq: number; token: string; until: number }>;
  prune: Statement<{ before: number }>;
  stats: Statement<[], { service_class: string; depth: number; oldest: number }>;
}

export function prepareBusStatements(db: RuntimeDb): BusStatements {
  return {
    // Upsert keeps the row when it is inside the window (no change => duplicate) and refreshes it
    // when the previous publish is older than the window (a legitimate re-send).
    rememberId: db.prepare(`
      INSERT INTO bus_published_ids (topic, id, published_at) VALUES (@topic, @id, @now)
      ON CONFLICT (topic, id) DO UPDATE SET published_at = @now WHERE published_at < @windowStart`),
    insert: db.prepare(`
      INSERT INTO bus_messages (id, topic, service_class, ordering_key, envelope, published_at, available_at)
      VALUES (@id, @topic, @cls, @key, @envelope, @now, @now)`),
    // One statement both picks and leases, so two processes cannot take the same row. A row
    // with an ordering key waits while any earlier row with that key still exists.
    lease: db.prepare(`
      UPDATE bus_messages SET lease_token = @token, lease_until = @until, deliveries = deliveries + 1
      WHERE seq IN (
        SELECT m.seq FROM bus_messages m
        WHERE m.service_class = @cls AND m.available_at <= @now
          AND (m.lease_until IS NULL OR m.lease_until <= @now)
          AND (m.ordering_key IS NULL OR NOT EXISTS (
            SELECT 1 FROM bus_messages e WHERE e.ordering_key = m.ordering_key AND e.seq < m.seq))
        ORDER BY m.seq LIMIT @max)
      RETURNING seq, id, topic, envelope, deliveries, published_at`),
    // The lease token fences a worker whose lease expired: its late ack touches nothing.
    ack: db.prepare('DELETE FROM bus_messages WHERE seq = @seq AND lease_token = @token'),
    release: db.prepare(`
      UPDATE bus_messages SET lease_token = NULL, lease_until = NULL, available_at = @at
      WHERE seq = @seq AND lease_token = @token`),
    extend: db.prepare('UPDATE bus_messages SET lease_until = @until WHERE seq = @seq AND lease_token = @token'),
    prune: db.prepare('DELETE FROM bus_published_ids WHERE published_at < @before'),
    stats: db.prepare(`
      SELECT service_class, count(*) AS depth, min(published_at) AS oldest
      FROM bus_messages GROUP BY service_class`),
  };
}
