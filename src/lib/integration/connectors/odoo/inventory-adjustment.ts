import { z } from 'zod';
import { parseOrThrow } from '../../canonical';
import { MasterDataError } from '../../errors';
import type { OdooSyncState } from './sync-state';
import type { OdooTransport } from './transport';
import { convertUnits, unitsByName } from './units';
import type { OdooDialect } from './version';

/** A counted quantity to make Odoo's on-hand agree with. */
export interface StockCount {
  /** Idempotency key, e.g. the inventory batch id plus SKU. */
  key: string;
  sku: string;
  /** The Odoo `stock.warehouse` code; the count applies to its stock location. */
  warehouseCode: string;
  /** The counted on-hand quantity (absolute, not a delta), as a decimal string. */
  quantity: string;
  uom: string;
}

export interface AdjustmentResult {
  quantId: number;
  /** On hand before and after, in the product's unit. */
  before: number;
  after: number;
  /** False when Odoo already held this quantity: nothing was booked. */
  changed: boolean;
  duplicate: boolean;
}

/**
 * Sets on-hand stock the way Odoo's inventory adjustments do: `stock.quant.create` in
 * `inventory_mode` (which reuses the quant of that product and location) with the counted
 * `inventory_quantity`, then `action_apply_inventory`. A count is absolute, so repeating it books
 * nothing; the recorded key short-circuits even the reads.
 */
export async function adjustInventory(transport: OdooTransport, state: OdooSyncState, dialect: OdooDialect, count: StockCount): Promise<AdjustmentResult> {
  const key = `odoo:inventory:${count.key}`;
  const recorded = state.appliedWrite<AdjustmentResult>(key);
  if (recorded) return { ...recorded, duplicate: true };

  const [product] = parseOrThrow(
    z.array(z.object({ id: z.number(), uom_id: z.tuple([z.number(), z.string()]) })),
    await transport.call({ model: 'product.product', method: 'search_read', kwargs: { domain: [['default_code', '=', count.sku]], fields: ['uom_id'], limit: 1 } }),
    'Odoo product.product',
  );
  if (!product) throw new MasterDataError(`Odoo has no product with internal reference ${count.sku}`, { sku: count.sku });
  const [warehouse] = parseOrThrow(
    z.array(z.object({ id: z.number(), lot_stock_id: z.tuple([z.number(), z.string()]) })),
    await transport.call({ model: 'stock.warehouse', method: 'search_read', kwargs: { domain: [['code', '=', count.warehouseCode]], fields: ['lot_stock_id'], limit: 1 } }),
    'Odoo stock.warehouse',
  );
  if (!warehouse) throw new MasterDataError(`Odoo has no warehouse with code ${count.warehouseCode}`, { warehouseCode: count.warehouseCode });
  const units = await unitsByName(transport, dialect, [count.uom, product.uom_id[1]]);
  const counted = convertUnits(count.quantity, units.get(count.uom)!, units.get(product.uom_id[1])!);
  const location = warehouse.lot_stock_id[0];

  const quants = parseOrThrow(
    z.array(z.object({ id: z.number(), quantity: z.number(), location_id: z.tuple([z.number(), z.string()]) })),
    await transport.call({ model: 'stock.quant', method: 'search_read', kwargs: { domain: [['product_id', '=', product.id], ['location_id', '=', location]], fields: ['quantity', 'location_id'] } }),
    'Odoo stock.quant',
  );
  const before = quants.reduce((sum, q) => sum + q.quantity, 0);
  let quantId = quants[0]?.id;
  if (before !== counted || !quantId) {
    const context = { inventory_mode: true };
    quantId = parseOrThrow(
      z.number().int(),
      await transport.call({ model: 'stock.quant', method: 'create', kwargs: { vals_list: { product_id: product.id, location_id: location, inventory_quantity: counted } }, context }),
      'Odoo stock.quant id',
    );
    // Applied directly, Odoo returns None; a wizard (lots to confirm) comes back as an action.
    await transport.call({ model: 'stock.quant', method: 'action_apply_inventory', ids: [quantId], context });
  }
  const result: AdjustmentResult = { quantId, before, after: counted, changed: before !== counted, duplicate: false };
  state.recordWrite(key, 'inventory', result);
  return result;
}
