import Decimal from 'decimal.js';
import type { InventoryPosition } from '../canonical';
import { MasterDataError } from '../errors';
import type { RuntimeDb } from '../store/runtime-db';

/**
 * One SKU at one warehouse: the sum of the latest count of every location (bin) it is kept in,
 * and whether Odoo has caught up with all of them.
 */
export interface StockEntry {
  warehouseId: string;
  sku: string;
  onHand: string;
  available: string;
  uom: string;
  /** The newest of the locations' counts. */
  asOf: string;
  /** Each location's latest version, to mark applied once Odoo holds the total. */
  versions: { location: string; version: number }[];
  /** Some location's latest count has not reached Odoo yet. */
  pending: boolean;
}

interface Row {
  warehouse_id: string;
  sku: string;
  location: string;
  on_hand: string;
  available: string;
  uom: string;
  as_of: string;
  version: number;
  applied_version: number;
}

/**
 * Coalesces stock changes per warehouse + SKU + location: every reported count is kept if it is
 * newer than the one held for that location (the latest wins, by the warehouse's own timestamp),
 * and Odoo is brought to the warehouse's total, not to each count in turn. A burst of 50 changes
 * becomes one or two Odoo writes, and none is lost: a change is either applied or superseded by a
 * newer one that is. (The counter-example is bullmq #3151: de-duplicating by job id keeps the
 * *first* of a burst.) The router reads its stock picture from here too.
 */
export class StockBook {
  readonly #upsert;
  readonly #rows;
  readonly #applied;
  readonly #all;

  constructor(db: RuntimeDb) {
    db.exec(`CREATE TABLE IF NOT EXISTS stock_counts (
      warehouse_id TEXT NOT NULL, sku TEXT NOT NULL, location TEXT NOT NULL, on_hand TEXT NOT NULL, available TEXT NOT NULL,
      uom TEXT NOT NULL, as_of TEXT NOT NULL, version INTEGER NOT NULL, applied_version INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (warehouse_id, sku, location)) WITHOUT ROWID`);
    this.#upsert = db.prepare(`
      INSERT INTO stock_counts (warehouse_id, sku, location, on_hand, available, uom, as_of, version)
      VALUES (@warehouseId, @sku, @location, @onHand, @available, @uom, @asOf, 1)
      ON CONFLICT (warehouse_id, sku, location) DO UPDATE SET on_hand = excluded.on_hand, available = excluded.available,
        uom = excluded.uom, as_of = excluded.as_of, version = stock_counts.version + 1
      WHERE excluded.as_of > stock_counts.as_of`);
    this.#rows = db.prepare<[string, string], Row>('SELECT * FROM stock_counts WHERE warehouse_id = ? AND sku = ? ORDER BY location');
    this.#applied = db.prepare('UPDATE stock_counts SET applied_version = max(applied_version, ?) WHERE warehouse_id = ? AND sku = ? AND location = ?');
    this.#all = db.prepare<[], Row>('SELECT * FROM stock_counts');
  }

  /** Takes a count; returns whether it was newer than the one held for its location. */
  take(position: InventoryPosition): boolean {
    return this.#upsert.run({ ...position, location: position.location ?? '', asOf: new Date(position.asOf).toISOString() }).changes > 0;
  }

  /** The warehouse's total for a SKU over its locations; a SKU counted in different units per location is a master-data error. */
  get(warehouseId: string, sku: string): StockEntry | undefined {
    const rows = this.#rows.all(warehouseId, sku);
    if (rows.length === 0) return undefined;
    const units = new Set(rows.map((r) => r.uom));
    if (units.size > 1) throw new MasterDataError(`${warehouseId} counts ${sku} in ${[...units].join(' and ')} in different locations`, { warehouseId, sku });
    return {
      warehouseId,
      sku,
      onHand: rows.reduce((sum, r) => sum.plus(r.on_hand), new Decimal(0)).toFixed(),
      available: rows.reduce((sum, r) => sum.plus(r.available), new Decimal(0)).toFixed(),
      uom: rows[0].uom,
      asOf: rows.reduce((max, r) => (r.as_of > max ? r.as_of : max), rows[0].as_of),
      versions: rows.map((r) => ({ location: r.location, version: r.version })),
      pending: rows.some((r) => r.applied_version < r.version),
    };
  }

  /** Marks the counts Odoo now holds (as read: a location counted again meanwhile stays pending). */
  markApplied(entry: Pick<StockEntry, 'warehouseId' | 'sku' | 'versions'>): void {
    for (const v of entry.versions) this.#applied.run(v.version, entry.warehouseId, entry.sku, v.location);
  }

  /** Available stock per warehouse and SKU: the router's picture. Warehouses never counted are absent. */
  availability(): Record<string, Record<string, { available: string; uom: string }>> {
    const picture: Record<string, Record<string, { available: string; uom: string }>> = {};
    for (const row of this.#all.all()) {
      const held = ((picture[row.warehouse_id] ??= {})[row.sku] ??= { available: '0', uom: row.uom });
      held.available = new Decimal(held.available).plus(row.available).toFixed();
    }
    return picture;
  }
}
