import { z } from 'zod';
import { DecimalString, Identifier, NonNegativeDecimal, Sku, Timestamp } from './primitives';

/**
 * How much of a SKU a warehouse holds at one moment. On hand may be negative when a system has
 * over-picked: that is a fact to reconcile, not malformed data.
 */
export const InventoryPosition = z.object({
  sku: Sku,
  warehouseId: Identifier,
  /** A bin or zone within the warehouse, when the platform reports one. */
  location: z.string().optional(),
  onHand: DecimalString,
  reserved: NonNegativeDecimal,
  available: DecimalString,
  uom: z.string().min(1),
  asOf: Timestamp,
  /** Which system reported it: `odoo` or a warehouse id. */
  source: Identifier,
});
export type InventoryPosition = z.output<typeof InventoryPosition>;
