import { z } from 'zod';
import { Identifier, NonNegativeDecimal, Sku } from './primitives';

/** A product as every system agrees on it, keyed by SKU. */
export const Product = z.object({
  sku: Sku,
  name: z.string().min(1, 'must not be empty').max(256),
  /** GTIN/EAN/UPC as printed on the item, when it has one. */
  barcode: z.string().regex(/^\d{8,14}$/, 'must be 8 to 14 digits (GTIN)').optional(),
  /** The code of the unit of measure stock is counted in. */
  uom: z.string().min(1),
  weightKg: NonNegativeDecimal.optional(),
  active: z.boolean().default(true),
  /** Identifiers of this product in other systems, e.g. `{ odoo: "42", "wms-batch": "ACM-0042" }`. */
  externalIds: z.record(z.string(), Identifier).default({}),
});
export type Product = z.output<typeof Product>;
