import { eventTypes, events, type InventoryPosition, type Shipment } from '../../canonical';
import type { ServiceClass } from '../../canonical/primitives';
import type { AcceptEvents, WarehouseEvent } from '../../connectors/warehouse-adapter';
import { step, type FlowContext } from '../context';
import { serviceClassOf, topics } from '../topics';

const topicOf: Record<WarehouseEvent['type'], string> = {
  [eventTypes.orderAcknowledged]: topics.orderEvents,
  [eventTypes.orderProgressed]: topics.orderEvents,
  [eventTypes.shipmentShipped]: topics.orderEvents,
  [eventTypes.orderShortShipped]: topics.orderEvents,
  [eventTypes.orderCancelled]: topics.orderEvents,
  [eventTypes.inventoryChanged]: topics.inventoryChanged,
  [eventTypes.returnReceived]: topics.returnReceived,
};

/**
 * An inventory change's correlation id: the warehouse's count batch (one snapshot file, one
 * 846, one stock webhook's moment), so each count is its own inventory-sync transaction with
 * its own SLA clock rather than one endless transaction per SKU.
 */
export const inventoryBatchId = (position: InventoryPosition) => `INV-${position.warehouseId}-${new Date(position.asOf).toISOString().replace(/[-:.]/g, '').slice(0, 15)}`;

/**
 * What a warehouse reported, taken durably: each decoded event is published on its flow's topic
 * through the ingress (which drops a fact already taken, by the warehouse's own key). A shipment
 * or a return is remembered as pending before it is published, so a stock count handled meanwhile
 * already allows for it. Inventory changes of fast-moving SKUs (by order lines in the last hour,
 * or named in the topology) travel in the realtime class.
 */
export function acceptWarehouseEvents(context: FlowContext): AcceptEvents {
  return async (decoded) => {
    for (const event of decoded) {
      let correlationId = event.correlationId;
      let serviceClass: ServiceClass = serviceClassOf.orders;
      if (event.type === eventTypes.inventoryChanged) {
        correlationId = inventoryBatchId(event.data);
        serviceClass = context.velocity.isFast(event.data.sku) ? 'realtime' : 'standard';
      } else if (event.type === eventTypes.returnReceived) serviceClass = serviceClassOf.returns;
      if (event.type === eventTypes.shipmentShipped) context.orders.recordShipment(event.data as Shipment);
      if (event.type === eventTypes.returnReceived) context.orders.recordReturn(event.data);
      const envelope = events.create(event.type, { data: event.data, source: context.source, correlationId, idempotencyKey: event.idempotencyKey, serviceClass });
      const publish = () => context.publish(topicOf[event.type], envelope);
      if (event.type === eventTypes.inventoryChanged)
        await step('stock reported', { process: 'inventory_sync', correlationId, warehouseId: event.data.warehouseId, milestone: 'reported', attributes: { 'crossdock.sku': event.data.sku } }, publish);
      else if (event.type === eventTypes.returnReceived)
        await step('return received', { process: 'returns', correlationId, warehouseId: event.data.warehouseId, milestone: 'received', attributes: { 'crossdock.order.id': event.data.orderId } }, publish);
      else await publish();
    }
  };
}
