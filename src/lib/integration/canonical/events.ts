import { z } from 'zod';
import { EventCatalog } from './event-catalog';
import { InventoryPosition } from './inventory-position';
import { Order } from './order';
import { Identifier, NonNegativeDecimal, PositiveDecimal, Sku, Timestamp } from './primitives';
import { Return } from './return';
import { Shipment } from './shipment';

/** A warehouse accepted an order into its system. */
export const OrderAcknowledged = z.object({
  orderId: Identifier,
  warehouseId: Identifier,
  /** The warehouse's own reference for the order. */
  warehouseRef: z.string().min(1),
  acknowledgedAt: Timestamp,
});
export type OrderAcknowledged = z.output<typeof OrderAcknowledged>;

/** An order moved through picking or packing at the warehouse. */
export const OrderProgressed = z.object({
  orderId: Identifier,
  warehouseId: Identifier,
  status: z.enum(['picked', 'packed']),
  at: Timestamp,
});
export type OrderProgressed = z.output<typeof OrderProgressed>;

/** One line a warehouse shipped less of than ordered (possibly nothing). */
export const ShortLine = z.object({
  lineId: Identifier.optional(),
  sku: Sku,
  ordered: PositiveDecimal,
  shipped: NonNegativeDecimal,
  uom: z.string().min(1),
});
export type ShortLine = z.output<typeof ShortLine>;

/**
 * A warehouse shipped an order incomplete and will not ship the rest: the difference must be
 * backordered or refunded in Odoo. Accompanies the `shipped` event of what did leave, if anything did.
 */
export const OrderShortShipped = z.object({
  orderId: Identifier,
  warehouseId: Identifier,
  /** The shipment that left short; absent when nothing shipped at all. */
  shipmentId: Identifier.optional(),
  lines: z.array(ShortLine).min(1, 'a short shipment names at least one short line'),
  at: Timestamp,
});
export type OrderShortShipped = z.output<typeof OrderShortShipped>;

/** A warehouse confirmed it cancelled an order before it shipped. */
export const OrderCancelled = z.object({
  orderId: Identifier,
  warehouseId: Identifier,
  reason: z.string().max(500).optional(),
  at: Timestamp,
});
export type OrderCancelled = z.output<typeof OrderCancelled>;

/** An operator (through an approved remediation) moves an order to another warehouse. */
export const OrderRerouteRequested = z.object({
  orderId: Identifier,
  toWarehouseId: Identifier,
  reason: z.string().min(1).max(2000),
  actor: z.string().min(1).max(200),
});
export type OrderRerouteRequested = z.output<typeof OrderRerouteRequested>;

/** A cancel still owed to a warehouse (it was unreachable when the order was moved away from it). */
export const OrderCancelRequested = z.object({
  orderId: Identifier,
  warehouseId: Identifier,
  reason: z.string().min(1).max(2000),
});
export type OrderCancelRequested = z.output<typeof OrderCancelRequested>;

/** Compare Odoo with every warehouse now. */
export const ReconciliationRequested = z.object({
  runId: Identifier,
  requestedBy: z.string().min(1).max(200),
  /** Bring Odoo's stock to the warehouses' counts where they differ (the warehouse is the book of record). */
  correct: z.boolean().default(true),
});
export type ReconciliationRequested = z.output<typeof ReconciliationRequested>;

/** An inbound message no decoder could read, kept whole so an operator can see and fix it. */
export const MessageRejected = z.object({
  partner: Identifier,
  externalId: z.string().min(1).max(512),
  category: z.string().min(1),
  error: z.string().max(4000),
  rawPayload: z.string().max(1_048_576),
});
export type MessageRejected = z.output<typeof MessageRejected>;

/** Crossdock's event types, each at version 1. */
export const eventTypes = {
  orderReleased: 'crossdock.order.released',
  orderAcknowledged: 'crossdock.order.acknowledged',
  orderProgressed: 'crossdock.order.progressed',
  shipmentShipped: 'crossdock.shipment.shipped',
  inventoryChanged: 'crossdock.inventory.changed',
  returnReceived: 'crossdock.return.received',
  orderShortShipped: 'crossdock.order.short_shipped',
  orderCancelled: 'crossdock.order.cancelled',
  orderRerouteRequested: 'crossdock.order.reroute_requested',
  orderCancelRequested: 'crossdock.order.cancel_requested',
  reconciliationRequested: 'crossdock.reconciliation.requested',
  messageRejected: 'crossdock.message.rejected',
} as const;

/** The catalog every producer and consumer in the runtime uses. */
export const events = new EventCatalog()
  .define(eventTypes.orderReleased, 1, Order)
  .define(eventTypes.orderAcknowledged, 1, OrderAcknowledged)
  .define(eventTypes.orderProgressed, 1, OrderProgressed)
  .define(eventTypes.shipmentShipped, 1, Shipment)
  .define(eventTypes.inventoryChanged, 1, InventoryPosition)
  .define(eventTypes.returnReceived, 1, Return)
  .define(eventTypes.orderShortShipped, 1, OrderShortShipped)
  .define(eventTypes.orderCancelled, 1, OrderCancelled)
  .define(eventTypes.orderRerouteRequested, 1, OrderRerouteRequested)
  .define(eventTypes.orderCancelRequested, 1, OrderCancelRequested)
  .define(eventTypes.reconciliationRequested, 1, ReconciliationRequested)
  .define(eventTypes.messageRejected, 1, MessageRejected);
