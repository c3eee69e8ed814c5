import { z } from 'zod';

/**
 * The REST WMS's JSON, as it sends it (ShipBob/ShipHero-shaped). Every inbound body is parsed
 * with these before anything reads it; `.passthrough()` is not used, so unknown fields are
 * dropped rather than trusted.
 */

const Quantity = z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/)]).transform(String);
const When = z.iso.datetime({ offset: true });

export const WmsPackage = z.object({
  id: z.string().min(1),
  tracking_number: z.string().min(1),
  weight_kg: Quantity.optional(),
  items: z.array(z.object({ sku: z.string().min(1), quantity: Quantity })).default([]),
});

export const WmsShipment = z.object({
  id: z.string().min(1),
  carrier: z.string().min(1),
  service: z.string().optional(),
  shipped_at: When,
  packages: z.array(WmsPackage).min(1),
});
export type WmsShipment = z.output<typeof WmsShipment>;

export const WmsOrderStatus = z.enum(['Received', 'Processing', 'Picked', 'Packed', 'Completed', 'Exception', 'OnHold', 'Cancelled']);

export const WmsOrder = z.object({
  id: z.string().min(1),
  reference_id: z.string().min(1),
  status: WmsOrderStatus,
  created_at: When,
  updated_at: When,
  acknowledged_at: When.nullish(),
  picked_at: When.nullish(),
  packed_at: When.nullish(),
  completed_at: When.nullish(),
  cancelled_at: When.nullish(),
  lines: z.array(
    z.object({ line_ref: z.string().min(1), sku: z.string().min(1), quantity: Quantity, shipped_quantity: Quantity.default('0') }),
  ),
  shipments: z.array(WmsShipment).default([]),
});
export type WmsOrder = z.output<typeof WmsOrder>;

export const WmsInventoryItem = z.object({
  sku: z.string().min(1),
  location: z.string().optional(),
  on_hand: z.number().int(),
  committed: z.number().int().nonnegative(),
  available: z.number().int(),
  updated_at: When,
});
export type WmsInventoryItem = z.output<typeof WmsInventoryItem>;

export const WmsReturn = z.object({
  id: z.string().min(1),
  reference_id: z.string().min(1),
  status: z.enum(['Pending', 'Completed']),
  reason: z.string().min(1),
  completed_at: When.nullish(),
  updated_at: When,
  items: z.array(z.object({ sku: z.string().min(1), quantity: Quantity, condition: z.enum(['sellable', 'damaged', 'quarantine']) })).min(1),
});
export type WmsReturn = z.output<typeof WmsReturn>;

/** One page of a cursor-paginated list; `next_cursor` is null on the last page. */
export const page = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), next_cursor: z.string().nullable() });

export const TokenResponse = z.object({ access_token: z.string().min(1), token_type: z.string(), expires_in: z.number().positive() });

/** The topics the WMS signs and sends, each with its payload (Standard Webhooks `{type, timestamp, data}`). */
export const WmsWebhook = z.discriminatedUnion('type', [
  z.object({
    type: z.enum(['order.acknowledged', 'order.picked', 'order.packed', 'order.shipped', 'order.cancelled']),
    timestamp: When,
    data: z.object({ order: WmsOrder, shipment_id: z.string().optional() }),
  }),
  z.object({ type: z.literal('inventory.changed'), timestamp: When, data: z.object({ item: WmsInventoryItem }) }),
  z.object({ type: z.literal('return.completed'), timestamp: When, data: z.object({ return: WmsReturn }) }),
]);
export type WmsWebhook = z.output<typeof WmsWebhook>;
