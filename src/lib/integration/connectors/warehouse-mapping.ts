import { z } from 'zod';
import { Identifier, ServiceLevel, Sku, UnitOfMeasure, convertQuantity } from '../canonical';
import { MasterDataError } from '../errors';
import type { WarehouseOrderState } from './warehouse-adapter';

const OrderState = z.enum(['unknown', 'received', 'acknowledged', 'picked', 'packed', 'shipped', 'short_shipped', 'cancelled']);

/** One product as a warehouse knows it. */
export const MappedItem = z.object({
  sku: Sku,
  /** The warehouse's own code (leading zeros matter: it is text). */
  partnerSku: z.string().min(1),
  /** Canonical unit stock of this SKU is counted in (Odoo's product UoM), e.g. `Units`. */
  stockUnit: z.string().min(1),
  /** Unit the warehouse counts this SKU in, e.g. `CA12` for cases of 12. */
  partnerUnit: z.string().min(1),
  /** How the warehouse writes that unit on the wire (`EA`, `CA`). */
  partnerUnitLabel: z.string().min(1).max(8),
});
export type MappedItem = z.output<typeof MappedItem>;

/**
 * Per-warehouse master data, validated once at start: SKU cross-references, unit factors
 * (exact decimals), the warehouse's status words, and carrier codes per service level. Every
 * lookup that misses throws a `MasterDataError` naming the entry; nothing falls back to a guess.
 */
export const WarehouseMapping = z
  .object({
    warehouseId: Identifier,
    units: z.array(UnitOfMeasure).min(1),
    items: z.array(MappedItem),
    /** The warehouse's status codes → canonical milestones. */
    statuses: z.record(z.string(), OrderState).default({}),
    /** Carrier and service the warehouse should use per service level. */
    carriers: z.partialRecord(ServiceLevel, z.object({ carrier: z.string().min(1), service: z.string().min(1) })).default({}),
  })
  .superRefine((m, ctx) => {
    const units = new Set(m.units.map((u) => u.code));
    const skus = new Set<string>();
    const partnerSkus = new Set<string>();
    m.items.forEach((item, i) => {
      for (const key of ['stockUnit', 'partnerUnit'] as const)
        if (!units.has(item[key])) ctx.addIssue({ code: 'custom', path: ['items', i, key], message: `unit ${item[key]} is not in units` });
      if (skus.has(item.sku)) ctx.addIssue({ code: 'custom', path: ['items', i, 'sku'], message: `duplicate SKU ${item.sku}` });
      if (partnerSkus.has(item.partnerSku))
        ctx.addIssue({ code: 'custom', path: ['items', i, 'partnerSku'], message: `duplicate partner SKU ${item.partnerSku}` });
      skus.add(item.sku);
      partnerSkus.add(item.partnerSku);
    });
  });
export type WarehouseMapping = z.output<typeof WarehouseMapping>;

/** Indexed lookups over a validated mapping. */
export class MappingTables {
  readonly #bySku = new Map<string, MappedItem>();
  readonly #byPartnerSku = new Map<string, MappedItem>();
  readonly #units = new Map<string, UnitOfMeasure>();

  constructor(readonly mapping: WarehouseMapping) {
    for (const item of mapping.items) {
      this.#bySku.set(item.sku, item);
      this.#byPartnerSku.set(item.partnerSku, item);
    }
    for (const unit of mapping.units) this.#units.set(unit.code, unit);
  }

  get warehouseId(): string {
    return this.mapping.warehouseId;
  }

  item(sku: string): MappedItem {
    const item = this.#bySku.get(sku);
    if (!item) throw this.#gap(`SKU ${sku} has no cross-reference for warehouse ${this.warehouseId}`, { sku });
    return item;
  }

  itemByPartnerSku(partnerSku: string): MappedItem {
    const item = this.#byPartnerSku.get(partnerSku);
    if (!item) throw this.#gap(`warehouse ${this.warehouseId} reported unknown SKU ${partnerSku}`, { partnerSku });
    return item;
  }

  unit(code: string): UnitOfMeasure {
    const unit = this.#units.get(code);
    if (!unit) throw this.#gap(`unit ${code} is not defined for warehouse ${this.warehouseId}`, { unit: code });
    return unit;
  }

  /** Our quantity of `sku` in `uom` → the warehouse's SKU, quantity and unit label. Refuses inexact conversions. */
  toPartner(sku: string, quantity: string, uom: string): { partnerSku: string; quantity: string; unitLabel: string } {
    const item = this.item(sku);
    return {
      partnerSku: item.partnerSku,
      quantity: convertQuantity(quantity, this.unit(uom), this.unit(item.partnerUnit)),
      unitLabel: item.partnerUnitLabel,
    };
  }

  /** The warehouse's quantity of its SKU → our SKU and quantity in the SKU's stock unit. */
  fromPartner(partnerSku: string, quantity: string): { sku: string; quantity: string; uom: string } {
    const item = this.itemByPartnerSku(partnerSku);
    return { sku: item.sku, quantity: convertQuantity(quantity, this.unit(item.partnerUnit), this.unit(item.stockUnit)), uom: item.stockUnit };
  }

  /** The canonical milestone for one of the warehouse's status codes. */
  status(code: string): WarehouseOrderState {
    const state = this.mapping.statuses[code];
    if (!state) throw this.#gap(`warehouse ${this.warehouseId} status ${code} has no canonical milestone`, { status: code });
    return state;
  }

  carrier(level: ServiceLevel): { carrier: string; service: string } {
    const carrier = this.mapping.carriers[level];
    if (!carrier) throw this.#gap(`warehouse ${this.warehouseId} has no carrier for service level ${level}`, { serviceLevel: level });
    return carrier;
  }

  #gap(message: string, details: Record<string, unknown>): MasterDataError {
    return new MasterDataError(message, { warehouseId: this.warehouseId, ...details });
  }
}
