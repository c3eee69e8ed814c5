import { z } from 'zod';
import { Many2one, OdooDatetime, orFalse } from './wire';

/** The Odoo records the connector reads, as `search_read` returns them (default load). */

const char = orFalse(z.string());

export const SaleOrderRow = z.object({
  id: z.number().int(),
  name: z.string(),
  state: z.string(),
  client_order_ref: char,
  partner_shipping_id: Many2one,
  commitment_date: orFalse(OdooDatetime),
  date_order: OdooDatetime,
  warehouse_id: Many2one,
  write_date: OdooDatetime,
});
export type SaleOrderRow = z.infer<typeof SaleOrderRow>;
export const saleOrderFields = ['name', 'state', 'client_order_ref', 'partner_shipping_id', 'commitment_date', 'date_order', 'warehouse_id', 'write_date'];

export const SaleLineRow = (uomField: string) =>
  z.object({
    id: z.number().int(),
    order_id: Many2one,
    product_id: Many2one,
    product_uom_qty: z.number(),
    display_type: z.union([z.literal(false), z.string()]),
    [uomField]: Many2one,
  });

export const PartnerRow = z.object({
  id: z.number().int(),
  name: char,
  parent_id: Many2one,
  street: char,
  street2: char,
  city: char,
  zip: char,
  state_id: Many2one,
  country_id: Many2one,
  phone: char,
  email: char,
});
export const partnerFields = ['name', 'parent_id', 'street', 'street2', 'city', 'zip', 'state_id', 'country_id', 'phone', 'email'];

export const CodeRow = z.object({ id: z.number().int(), code: char });

export const ProductRow = z.object({
  id: z.number().int(),
  default_code: char,
  name: z.string(),
  barcode: char,
  uom_id: Many2one,
  weight: z.number().optional(),
  active: z.boolean(),
  write_date: OdooDatetime,
});
export const productFields = ['default_code', 'name', 'barcode', 'uom_id', 'weight', 'active', 'write_date'];

export const WarehouseRow = z.object({ id: z.number().int(), name: z.string(), code: z.string(), lot_stock_id: Many2one });

export const QuantRow = z.object({
  id: z.number().int(),
  product_id: Many2one,
  location_id: Many2one,
  quantity: z.number(),
  reserved_quantity: z.number(),
  write_date: OdooDatetime,
});

export const LocationRow = z.object({ id: z.number().int(), complete_name: z.string(), warehouse_id: Many2one });

export const PickingRow = z.object({
  id: z.number().int(),
  name: z.string(),
  state: z.string(),
  origin: char,
  sale_id: Many2one,
  picking_type_code: z.string(),
  carrier_tracking_ref: char,
  date_done: orFalse(OdooDatetime),
  backorder_id: Many2one,
  return_id: Many2one,
  location_id: Many2one,
  move_ids: z.array(z.number().int()),
  write_date: OdooDatetime,
});
export const pickingFields = ['name', 'state', 'origin', 'sale_id', 'picking_type_code', 'carrier_tracking_ref', 'date_done', 'backorder_id', 'return_id', 'location_id', 'move_ids', 'write_date'];

export const MoveRow = z.object({
  id: z.number().int(),
  picking_id: Many2one,
  product_id: Many2one,
  product_uom_qty: z.number(),
  product_uom: Many2one,
  state: z.string(),
  sale_line_id: Many2one.optional(),
});
export type MoveRow = z.infer<typeof MoveRow>;

export const UomRow = z.object({ id: z.number().int(), name: z.string(), factor: z.number(), rounding: z.number(), category_id: Many2one.optional() });
export type UomRow = z.infer<typeof UomRow>;
