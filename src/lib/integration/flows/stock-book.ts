import type { InventoryPosition } from '../canonical';
import type { RuntimeDb } from '../store/runtime-db';

/** The latest count of one SKU at one warehouse, and how far Odoo has caught up with it. */
export interface StockEntry {
  warehouseId: string;
  sku: string;
  onHand: string;
  available: string;
  uom: string;
  asOf: string;
  /** Increases with every newer count taken. */
  version: number;
  /** The version last applied to Odoo (0: none yet). */
  appliedVersion: number;
}

interface Row {
  warehouse_id: string;
  sku: string;
  on_hand: string;
  available: string;
  uom: string;
  as_of: string;
  version: number;
  applied_version: number;
}

/**
 * Coalesces stock changes per warehouse + SKU: every reported count is kept if it is newer than
 * the one held (the latest wins, by the warehouse's own timestamp), and Odoo is brought to the
 * latest count, not to each one in turn. A burst of 50 changes becomes one or two Odoo writes,
 * and none is lost: a change is either applied or superseded by a newer one that is.
 * (The counter-example is bullmq #3151: de-duplicating by job id keeps the *first* of a burst.)
 * The router reads its stock picture from here too.
 */
export class StockBook {
  readonly #upsert;
  readonly #get;
  readonly #applied;
  readonly #byWarehouse;

  constructor(db: RuntimeDb) {
    db.exec(`CREATE TABLE IF NOT EXISTS stock_positions (
      warehouse_id TEXT NOT NULL, sku TEXT NOT NULL, on_hand TEXT NOT NULL, available TEXT NOT NULL, uom TEXT NOT NULL,
      as_of TEXT NOT NULL, version INTEGER NOT NULL, applied_version INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (warehouse_id, sku)) WITHOUT ROWID`);
    this.#upsert = db.prepare(`
      INSERT INTO stock_positions (warehouse_id, sku, on_hand, available, uom, as_of, version)
      VALUES (@warehouseId, @sku, @onHand, @available, @uom, @asOf, 1)
      ON CONFLICT (warehouse_id, sku) DO UPDATE SET on_hand = excluded.on_hand, available = excluded.available, uom = excluded.uom,
        as_of = excluded.as_of, version = stock_positions.version + 1
      WHERE excluded.as_of > stock_positions.as_of`);
    this.#get = db.prepare<[string, string], Row>('SELECT * FROM stock_positions WHERE warehouse_id = ? AND sku = ?');
    this.#applied = db.prepare('UPDATE stock_positions SET applied_version = max(applied_version, ?) WHERE warehouse_id = ? AND sku = ?');
    this.#byWarehouse = db.prepare<[], Row>('SELECT * FROM stock_positions');
  }

  /** Takes a count; returns whether it was newer than the one held. */
  take(position: InventoryPosition): boolean {
    return this.#upsert.run({ ...position, asOf: new Date(position.asOf).toISOString() }).changes > 0;
  }

  get(warehouseId: string, sku: string): StockEntry | undefined {
    const row = this.#get.get(warehouseId, sku);
    return row && fromRow(row);
  }

  markApplied(warehouseId: string, sku: string, version: number): void {
    this.#applied.run(version, warehouseId, sku);
  }

  /** Available stock per warehouse and SKU: the router's picture. Warehouses never counted are absent. */
  availability(): Record<string, Record<string, { available: string; uom: string }>> {
    const picture: Record<string, Record<string, { available: string; uom: string }>> = {};
    for (const row of this.#byWarehouse.all()) (picture[row.warehouse_id] ??= {})[row.sku] = { available: row.available, uom: row.uom };
    return picture;
  }
}

function fromRow(row: Row): StockEntry {
  return { warehouseId: row.warehouse_id, sku: row.sku, onHand: row.on_hand, available: row.available, uom: row.uom, asOf: row.as_of, version: row.version, appliedVersion: row.applied_version };
}
