import { z } from 'zod';
import { Identifier, NonNegativeDecimal, PositiveDecimal, Sku, Timestamp } from './primitives';

export const ShippedLine = z.object({
  /** The order line it fulfils, when the warehouse echoes it back. */
  lineId: Identifier.optional(),
  sku: Sku,
  quantity: PositiveDecimal,
  uom: z.string().min(1),
});
export type ShippedLine = z.output<typeof ShippedLine>;

export const Package = z.object({
  packageId: Identifier,
  trackingNumber: z.string().min(1, 'a package needs a tracking number'),
  weightKg: NonNegativeDecimal.optional(),
  lines: z.array(ShippedLine).default([]),
});
export type Package = z.output<typeof Package>;

/** What a warehouse shipped against an order; may be partial (a short shipment). */
export const Shipment = z.object({
  shipmentId: Identifier,
  orderId: Identifier,
  warehouseId: Identifier,
  carrier: z.string().min(1, 'must not be empty'),
  carrierService: z.string().optional(),
  shippedAt: Timestamp,
  packages: z.array(Package).min(1, 'a shipment needs at least one package'),
  lines: z.array(ShippedLine).min(1, 'a shipment needs at least one shipped line'),
});
export type Shipment = z.output<typeof Shipment>;

/** Every tracking number of a shipment, in package order. */
export const trackingNumbers = (shipment: Shipment): string[] => shipment.packages.map((p) => p.trackingNumber);
