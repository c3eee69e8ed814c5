import { z } from 'zod';
import { Identifier } from './primitives';

/** The protocol family a warehouse platform speaks; one adapter per dialect. */
export const WarehouseDialect = z.enum(['wms-rest', 'wms-batch', 'edi-3pl']);
export type WarehouseDialect = z.infer<typeof WarehouseDialect>;

/** A place that holds stock and fulfils orders, run by one warehouse platform. */
export const Warehouse = z.object({
  id: Identifier,
  name: z.string().min(1),
  dialect: WarehouseDialect,
  /** The matching Odoo `stock.warehouse` code, e.g. "WH". */
  odooCode: z.string().min(1).max(5, 'must be at most 5 characters, as in Odoo'),
  /** IANA time zone the warehouse works in, for cut-offs and batch windows. */
  timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as "America/Chicago"'),
  active: z.boolean().default(true),
});
export type Warehouse = z.output<typeof Warehouse>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
