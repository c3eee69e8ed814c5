import { eventTypes, events, type OrderCancelRequested, type OrderRerouteRequested } from '../canonical';
import { DeliveryDeferred, type HandlerContext, type Route } from '../delivery';
import { IntegrationError, SequenceError } from '../errors';
import { step, warehouseOf, type FlowContext } from './context';
import type { OrderAssignment } from './order-book';
import { orderReleasedEvent } from './order-release';
import { serviceClassOf, topics } from './topics';

/** Why a reroute cannot be taken, answered at once to whoever asked (the admin API). */
export type RerouteRefusal = { status: 404 | 409 | 422; code: string; message: string };

const shippedStates = new Set(['shipped', 'short_shipped', 'confirmed']);

/** Checks a reroute before it is accepted, so an approver hears "already shipped" now, not in a dead letter. */
export function checkReroute(context: FlowContext, orderId: string, toWarehouseId: string): { assignment: OrderAssignment } | { refusal: RerouteRefusal } {
  const assignment = context.orders.get(orderId);
  if (!assignment) return { refusal: { status: 404, code: 'not_found', message: `the runtime has no order ${orderId}` } };
  if (!context.warehouses.has(toWarehouseId)) return { refusal: { status: 422, code: 'unknown_warehouse', message: `no warehouse ${toWarehouseId} in the topology` } };
  if (assignment.warehouseId === toWarehouseId) return { refusal: { status: 409, code: 'already_there', message: `${orderId} is already at ${toWarehouseId}` } };
  if (shippedStates.has(assignment.status)) return { refusal: { status: 409, code: 'already_shipped', message: `${orderId} already shipped from ${assignment.warehouseId}` } };
  if (assignment.status === 'cancelled') return { refusal: { status: 409, code: 'cancelled', message: `${orderId} was cancelled` } };
  return { assignment };
}

/** The message that asks for a reroute; the request id (the proposal's idempotency key) makes a repeat a no-op. */
export function rerouteRequestedEvent(context: FlowContext, request: OrderRerouteRequested, requestId: string) {
  return events.create(eventTypes.orderRerouteRequested, {
    data: request,
    source: context.source,
    correlationId: request.orderId,
    idempotencyKey: `reroute:${requestId}`,
    serviceClass: serviceClassOf.orders,
  });
}

/**
 * Reroute: cancel at the first warehouse when it has the order, point the order at the new one
 * and release it there under the same correlation id, recording who asked and why. When the first
 * warehouse is unreachable (the usual reason to move an order), its cancel is queued to be
 * retried until it answers, and the order goes to the new warehouse at once; if the first one
 * ships anyway, the shipment is refused as a sequence error for review (fulfilment).
 */
export function rerouteRoute(context: FlowContext): Route {
  return {
    topic: topics.orderReroute,
    async handle(envelope, handler) {
      const request = events.read<OrderRerouteRequested>(envelope, eventTypes.orderRerouteRequested).data;
      const assignment = context.orders.get(request.orderId);
      if (assignment?.warehouseId === request.toWarehouseId) return; // a repeat that already ran
      const checked = checkReroute(context, request.orderId, request.toWarehouseId);
      if ('refusal' in checked) throw new SequenceError(`reroute of ${request.orderId} to ${request.toWarehouseId} refused: ${checked.refusal.message}`, { orderId: request.orderId });
      const from = checked.assignment.warehouseId;
      await step(
        'reroute order',
        {
          process: 'order_fulfillment',
          correlationId: request.orderId,
          warehouseId: request.toWarehouseId,
          attributes: { 'crossdock.reroute.from': from, 'crossdock.reroute.to': request.toWarehouseId, 'crossdock.reroute.reason': request.reason, 'crossdock.reroute.actor': request.actor },
        },
        async (span) => {
          if (checked.assignment.status !== 'routed') span.setAttribute('crossdock.reroute.cancel', await cancelAt(context, handler, from, request));
          context.orders.reassign(request.orderId, request.toWarehouseId, `${request.reason} (by ${request.actor}; was ${from})`);
          await context.publish(topics.orderReleased, orderReleasedEvent(context, checked.assignment.order, `${envelope.idempotencykey}:release`));
        },
      );
    },
  };
}

/** Cancels at the warehouse the order leaves; a warehouse that cannot answer now gets the cancel later. */
async function cancelAt(context: FlowContext, handler: HandlerContext, warehouseId: string, request: OrderRerouteRequested): Promise<string> {
  try {
    const outcome = await handler.endpoint(warehouseId).call(() => warehouseOf(context, warehouseId).cancelOrder(request.orderId));
    return outcome.status;
  } catch (error) {
    const later = error instanceof DeliveryDeferred || (error instanceof IntegrationError && error.retryable);
    if (!later) throw error;
    await context.publish(
      topics.orderCancel,
      events.create(eventTypes.orderCancelRequested, {
        data: { orderId: request.orderId, warehouseId, reason: `moved to ${request.toWarehouseId}: ${request.reason}` },
        source: context.source,
        correlationId: request.orderId,
        idempotencyKey: `cancel:${warehouseId}:${request.orderId}:${request.toWarehouseId}`,
        serviceClass: serviceClassOf.cancel,
      }),
    );
    return 'queued';
  }
}

/** The cancel owed to a warehouse an order was moved away from, retried while the warehouse is down. */
export function cancelRoute(context: FlowContext): Route {
  return {
    topic: topics.orderCancel,
    async handle(envelope, handler) {
      const request = events.read<OrderCancelRequested>(envelope, eventTypes.orderCancelRequested).data;
      await step('cancel order at warehouse', { process: 'order_fulfillment', correlationId: request.orderId, warehouseId: request.warehouseId, attributes: { 'crossdock.cancel.reason': request.reason } }, async (span) => {
        const outcome = await handler.endpoint(request.warehouseId).call(() => warehouseOf(context, request.warehouseId).cancelOrder(request.orderId));
        span.setAttribute('crossdock.cancel.status', outcome.status);
      });
    },
  };
}
