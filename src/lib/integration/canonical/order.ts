import { z } from 'zod';
import { Address } from './address';
import { Identifier, PositiveDecimal, Sku, Timestamp } from './primitives';

export const OrderLine = z.object({
  /** Stable within the order; shipments refer to it. */
  lineId: Identifier,
  sku: Sku,
  quantity: PositiveDecimal,
  uom: z.string().min(1),
});
export type OrderLine = z.output<typeof OrderLine>;

/** How fast the customer asked for delivery; drives carrier choice and the service class. */
export const ServiceLevel = z.enum(['standard', 'expedited', 'overnight']);
export type ServiceLevel = z.infer<typeof ServiceLevel>;

/** A sales order released for fulfilment. `orderId` is the Odoo order name and the correlation ID. */
export const Order = z
  .object({
    orderId: Identifier,
    customerRef: z.string().optional(),
    /** Set once routing chose a warehouse. */
    warehouseId: Identifier.optional(),
    shipTo: Address,
    serviceLevel: ServiceLevel.default('standard'),
    /** The date promised to the customer. */
    commitmentDate: Timestamp.optional(),
    releasedAt: Timestamp,
    lines: z.array(OrderLine).min(1, 'an order needs at least one line'),
  })
  .superRefine((order, ctx) => {
    const seen = new Set<string>();
    order.lines.forEach((line, index) => {
      if (seen.has(line.lineId))
        ctx.addIssue({ code: 'custom', path: ['lines', index, 'lineId'], message: `duplicate line id ${line.lineId}` });
      seen.add(line.lineId);
    });
  });
export type Order = z.output<typeof Order>;
