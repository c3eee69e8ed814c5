/**
 * The demo distributor's master data that more than the Odoo simulator needs: the products it
 * sells, its warehouses, and how much of each product each warehouse holds at the start. The
 * warehouse simulators derive their opening stock from the same numbers (simulators/demo), so
 * Odoo and every warehouse agree before the first order moves.
 */

/** Units of measure the catalogue uses, by Odoo's name for them (the topology mappings use the same codes). */
export type CatalogueUnit = 'Units' | 'Dozens' | 'Case of 24' | 'kg' | 'L' | 'm';

export interface CatalogueProduct {
  /** Odoo's internal reference (`default_code`), the canonical SKU. */
  code: string;
  name: string;
  barcode: string;
  /** The product's unit in Odoo: stock is counted and sold in it. */
  uom: CatalogueUnit;
  listPrice: number;
  /** Weight in kg. */
  weight: number;
}

export const catalogue: readonly CatalogueProduct[] = [
  { code: 'ACM-1001', name: 'Claw Hammer 16oz', barcode: '4006381333931', uom: 'Units', listPrice: 18.5, weight: 0.7 },
  { code: 'ACM-1002', name: 'Screwdriver Set (6 pcs)', barcode: '4006381333948', uom: 'Units', listPrice: 24.9, weight: 0.9 },
  { code: 'ACM-1003', name: 'Wood Screws 4x40 (box)', barcode: '4006381333955', uom: 'Dozens', listPrice: 6.2, weight: 0.5 },
  { code: 'ACM-1004', name: 'Work Gloves', barcode: '4006381333962', uom: 'Case of 24', listPrice: 96, weight: 4.8 },
  { code: 'ACM-2001', name: 'Portland Cement 25 kg', barcode: '4006381333979', uom: 'kg', listPrice: 0.48, weight: 1 },
  { code: 'ACM-2002', name: 'Grass Seed', barcode: '4006381333986', uom: 'kg', listPrice: 7.9, weight: 1 },
  { code: 'ACM-3001', name: 'Deck Stain', barcode: '4006381333993', uom: 'L', listPrice: 12.4, weight: 1.1 },
  { code: 'ACM-3002', name: 'Paint Thinner', barcode: '4006381334006', uom: 'L', listPrice: 6.8, weight: 0.9 },
  { code: 'ACM-4001', name: 'Garden Hose', barcode: '4006381334013', uom: 'm', listPrice: 1.9, weight: 0.2 },
  { code: 'ACM-4002', name: 'Copper Wire 2.5mm', barcode: '4006381334020', uom: 'm', listPrice: 0.95, weight: 0.03 },
  { code: 'ACM-1005', name: 'Tape Measure 5 m', barcode: '4006381334037', uom: 'Units', listPrice: 9.5, weight: 0.3 },
  { code: 'ACM-1006', name: 'Utility Knife', barcode: '4006381334044', uom: 'Units', listPrice: 7.25, weight: 0.15 },
];

/** Odoo's `stock.warehouse` records, in the order they are created (their index feeds the opening stock). */
export const warehouses = [
  { code: 'WH', name: 'Chicago Distribution Center' },
  { code: 'DAL', name: 'Dallas Fulfillment' },
  { code: 'NJ3', name: 'Newark 3PL' },
] as const;

export type WarehouseCode = (typeof warehouses)[number]['code'];

/**
 * Opening stock of one product in one warehouse, in the product's unit: between 200 and 499,
 * varied so no two warehouses look alike and a reconciliation difference stands out.
 */
export function openingQuantity(productIndex: number, warehouseIndex: number): number {
  return 200 + ((productIndex * 37 + warehouseIndex * 53) % 300);
}

/** Every product's opening stock in the warehouse with this Odoo code, in the products' own units. */
export function openingStockOf(code: string): { product: CatalogueProduct; quantity: number }[] {
  const warehouseIndex = warehouses.findIndex((w) => w.code === code);
  if (warehouseIndex < 0) throw new Error(`the demo catalogue has no warehouse ${code} (it has ${warehouses.map((w) => w.code).join(', ')})`);
  return catalogue.map((product, productIndex) => ({ product, quantity: openingQuantity(productIndex, warehouseIndex) }));
}
