import { eventTypes, events, type OrderAcknowledged, type OrderCancelled, type OrderProgressed, type OrderShortShipped, type Shipment } from '../canonical';
import { splitType } from '../canonical/event-catalog';
import type { Route } from '../delivery';
import { InventoryMismatchError, SequenceError, ValidationError } from '../errors';
import { Attr } from '../../telemetry/conventions';
import { recordFailure } from '../../telemetry/spans';
import { step, type FlowContext } from './context';
import { topics } from './topics';

/**
 * Fulfilment and shipment confirmation: what warehouses report about an order (webhook, CSV,
 * 945), applied in order per order (the topic is ordered by correlation id) and once (the
 * ingress drops repeats by the warehouse's own fact key). A shipment is confirmed in Odoo on the
 * order's delivery with its tracking numbers; what was shipped short stays as a backorder.
 * Milestones: `acknowledged`, `picked`, `shipped`, `confirmed_in_odoo`.
 */
export function fulfilmentRoute(context: FlowContext): Route {
  return {
    topic: topics.orderEvents,
    orderedByCorrelation: true,
    async handle(envelope, handler) {
      const { name } = splitType(envelope.type);
      const where = (warehouseId: string) => ({ process: 'order_fulfillment' as const, correlationId: envelope.correlationid, warehouseId });
      switch (name) {
        case eventTypes.orderAcknowledged: {
          const ack = events.read<OrderAcknowledged>(envelope, name).data;
          // Webhooks arrive out of order: a report the order has already moved past is recorded, not marked.
          const fresh = context.orders.advance(ack.orderId, 'acknowledged');
          return step('acknowledge order', { ...where(ack.warehouseId), milestone: fresh ? 'acknowledged' : undefined, attributes: { 'crossdock.stale': !fresh, 'crossdock.warehouse.ref': ack.warehouseRef } }, async () => undefined);
        }
        case eventTypes.orderProgressed: {
          const progress = events.read<OrderProgressed>(envelope, name).data;
          const fresh = context.orders.advance(progress.orderId, progress.status);
          return step(`order ${progress.status}`, { ...where(progress.warehouseId), milestone: fresh && progress.status === 'picked' ? 'picked' : undefined, attributes: { 'crossdock.stale': !fresh } }, async () => undefined);
        }
        case eventTypes.shipmentShipped: {
          const shipment = events.read<Shipment>(envelope, name).data;
          await step('order shipped', { ...where(shipment.warehouseId), milestone: 'shipped', attributes: { 'crossdock.shipment.id': shipment.shipmentId } }, async () => {
            context.orders.recordShipment(shipment);
            context.orders.advance(shipment.orderId, 'shipped');
          });
          return step('confirm shipment in odoo', { ...where(shipment.warehouseId), milestone: 'confirmed_in_odoo', attributes: { [Attr.endpointId]: 'odoo' } }, async (span) => {
            const assignment = context.orders.get(shipment.orderId);
            if (assignment && assignment.warehouseId !== shipment.warehouseId)
              throw new SequenceError(`order ${shipment.orderId} was moved to ${assignment.warehouseId}, but ${shipment.warehouseId} shipped it (${shipment.shipmentId}): it may ship twice`, {
                orderId: shipment.orderId,
                shipmentId: shipment.shipmentId,
              });
            const confirmation = await handler.endpoint('odoo').call(() => context.odoo.confirmShipment(shipment));
            span.setAttributes({ 'odoo.picking': confirmation.pickingName, 'crossdock.duplicate': confirmation.duplicate, ...(confirmation.backorderName ? { 'odoo.backorder': confirmation.backorderName } : {}) });
            context.orders.confirmShipment(shipment.shipmentId);
            context.orders.advance(shipment.orderId, 'confirmed');
          });
        }
        case eventTypes.orderShortShipped: {
          const short = events.read<OrderShortShipped>(envelope, name).data;
          return step('order shipped short', where(short.warehouseId), async (span) => {
            // The shipped part is confirmed by its own shipment event; Odoo keeps the rest as a
            // backorder. Support decides what happens to it (wait, reroute, cancel and refund), so
            // it is raised as an exception on the order while the flow itself goes on.
            const what = short.lines.map((l) => `${l.sku} ${l.shipped} of ${l.ordered} ${l.uom}`).join(', ');
            span.setAttribute('crossdock.short.lines', JSON.stringify(short.lines));
            recordFailure(
              span,
              new InventoryMismatchError(`${short.warehouseId} shipped ${short.orderId} short: ${what}${short.shipmentId ? '; the rest is a backorder in Odoo' : '; nothing left, the Odoo delivery stays open'}`, { orderId: short.orderId }),
            );
            if (!short.shipmentId) context.orders.advance(short.orderId, 'short_shipped');
          });
        }
        case eventTypes.orderCancelled: {
          const cancelled = events.read<OrderCancelled>(envelope, name).data;
          return step('order cancelled at warehouse', where(cancelled.warehouseId), async () => {
            const assignment = context.orders.get(cancelled.orderId);
            // The confirmation of a reroute's cancel: the order now lives at its new warehouse.
            if (assignment && assignment.warehouseId !== cancelled.warehouseId) return;
            context.orders.advance(cancelled.orderId, 'cancelled');
          });
        }
        default:
          throw new ValidationError(`${topics.orderEvents} does not handle ${envelope.type}`, { type: envelope.type });
      }
    },
  };
}
