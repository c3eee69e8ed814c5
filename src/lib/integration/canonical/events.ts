import { z } from 'zod';
import { EventCatalog } from './event-catalog';
import { InventoryPosition } from './inventory-position';
import { Order } from './order';
import { Identifier, Timestamp } from './primitives';
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

/** Crossdock's event types, each at version 1. */
export const eventTypes = {
  orderReleased: 'crossdock.order.released',
  orderAcknowledged: 'crossdock.order.acknowledged',
  orderProgressed: 'crossdock.order.progressed',
  shipmentShipped: 'crossdock.shipment.shipped',
  inventoryChanged: 'crossdock.inventory.changed',
  returnReceived: 'crossdock.return.received',
} as const;

/** The catalog every producer and consumer in the runtime uses. */
export const events = new EventCatalog()
  .define(eventTypes.orderReleased, 1, Order)
  .define(eventTypes.orderAcknowledged, 1, OrderAcknowledged)
  .define(eventTypes.orderProgressed, 1, OrderProgressed)
  .define(eventTypes.shipmentShipped, 1, Shipment)
  .define(eventTypes.inventoryChanged, 1, InventoryPosition)
  .define(eventTypes.returnReceived, 1, Return);
