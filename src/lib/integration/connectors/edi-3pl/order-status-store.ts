import type { RuntimeDb } from '../../store/runtime-db';
import type { WarehouseOrderState, WarehouseOrderStatus } from '../warehouse-adapter';

/**
 * What we learned about each order from the 3PL's documents (a 997 accepting its 940, a 945
 * shipping it). An EDI 3PL cannot be asked about an order, so this projection is the only answer
 * to "where is S00042?"; states only move forward.
 */
export class OrderStatusStore {
  readonly #upsert;
  readonly #get;
  static readonly #rank: Record<WarehouseOrderState, number> = { unknown: 0, received: 1, acknowledged: 2, picked: 3, packed: 4, cancelled: 5, shipped: 6, short_shipped: 7 };

  constructor(db: RuntimeDb) {
    db.exec(`CREATE TABLE IF NOT EXISTS edi_order_status (
      partner TEXT NOT NULL, order_id TEXT NOT NULL, state TEXT NOT NULL, warehouse_ref TEXT, updated_at TEXT NOT NULL,
      PRIMARY KEY (partner, order_id)) WITHOUT ROWID`);
    this.#upsert = db.prepare(`INSERT INTO edi_order_status VALUES (?, ?, ?, ?, ?) ON CONFLICT (partner, order_id)
      DO UPDATE SET state = excluded.state, warehouse_ref = coalesce(excluded.warehouse_ref, warehouse_ref), updated_at = excluded.updated_at`);
    this.#get = db.prepare<[string, string], { state: WarehouseOrderState; warehouse_ref: string | null; updated_at: string }>(
      'SELECT state, warehouse_ref, updated_at FROM edi_order_status WHERE partner = ? AND order_id = ?',
    );
  }

  /** Moves an order to `state` unless it is already further along. */
  advance(partner: string, orderId: string, state: WarehouseOrderState, warehouseRef?: string, at = new Date().toISOString()): void {
    const current = this.#get.get(partner, orderId);
    if (current && OrderStatusStore.#rank[current.state] >= OrderStatusStore.#rank[state]) return;
    this.#upsert.run(partner, orderId, state, warehouseRef ?? null, at);
  }

  get(partner: string, orderId: string): WarehouseOrderStatus {
    const row = this.#get.get(partner, orderId);
    if (!row) return { orderId, state: 'unknown' };
    return { orderId, state: row.state, warehouseRef: row.warehouse_ref ?? undefined, updatedAt: row.updated_at };
  }
}
