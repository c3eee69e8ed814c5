import type { RuntimeDb } from '../../store/runtime-db';

/**
 * The bus tables. A message row exists from publish until ack/term; `lease_token` and
 * `lease_until` mark a delivery in progress. There is no "started" state that can outlive its
 * worker: a lease simply expires and the row is eligible again (the OCA queue_job failure mode).
 */
export function createBusSchema(db: RuntimeDb): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS bus_messages (
      seq           INTEGER PRIMARY KEY AUTOINCREMENT,
      id            TEXT    NOT NULL,
      topic         TEXT    NOT NULL,
      service_class TEXT    NOT NULL,
      ordering_key  TEXT,
      envelope      TEXT    NOT NULL,
      deliveries    INTEGER NOT NULL DEFAULT 0,
      published_at  INTEGER NOT NULL,
      available_at  INTEGER NOT NULL,
      lease_token   TEXT,
      lease_until   INTEGER
    );
    CREATE INDEX IF NOT EXISTS bus_messages_class_seq ON bus_messages (service_class, seq);
    CREATE INDEX IF NOT EXISTS bus_messages_ordering ON bus_messages (ordering_key, seq) WHERE ordering_key IS NOT NULL;
    -- Publish de-duplication by message id, kept for a window like JetStream's duplicate window,
    -- so a producer retrying after a lost reply does not enqueue twice even after the first copy was consumed.
    CREATE TABLE IF NOT EXISTS bus_published_ids (
      topic        TEXT    NOT NULL,
      id           TEXT    NOT NULL,
      published_at INTEGER NOT NULL,
      PRIMARY KEY (topic, id)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS bus_published_ids_age ON bus_published_ids (published_at);
  `);
}
