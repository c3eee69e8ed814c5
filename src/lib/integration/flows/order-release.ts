import { eventTypes, events, type Order } from '../canonical';
import type { Route } from '../delivery';
import { InventoryMismatchError, MasterDataError } from '../errors';
import { routeOrder } from '../routing';
import { Attr } from '../../telemetry/conventions';
import { step, warehouseOf, type FlowContext } from './context';
import { serviceClassOf, topics } from './topics';

/** How long after release an unsent order counts as at risk of missing its acknowledgement SLA (80% of 2 min). */
const SLA_AT_RISK_AFTER_MS = 96_000;

/** The message that starts an order's journey: Odoo released it. */
export function orderReleasedEvent(context: FlowContext, order: Order, idempotencyKey: string) {
  return events.create(eventTypes.orderReleased, {
    data: order,
    source: context.source,
    correlationId: order.orderId,
    idempotencyKey,
    serviceClass: serviceClassOf.orders,
  });
}

/**
 * Order release: a released Odoo order is routed once (the decision is recorded, so a retry or a
 * redelivery goes to the same warehouse; only a reroute changes it) and handed to that
 * warehouse. The send is idempotent at every warehouse, so a crash between sending and recording
 * costs a repeat, not a second order. Milestones: `routed` (the router's span), `sent_to_warehouse`
 * (the adapter's span); `released` was marked when the order was taken from Odoo.
 */
export function orderReleaseRoute(context: FlowContext): Route {
  return {
    topic: topics.orderReleased,
    orderedByCorrelation: true,
    async handle(envelope, handler) {
      const order = events.read<Order>(envelope, eventTypes.orderReleased).data;
      let assignment = context.orders.get(order.orderId);
      if (!assignment) {
        const unmapped = order.lines.map((l) => l.sku).filter((sku) => !context.mappedSkus.has(sku));
        if (unmapped.length > 0)
          throw new MasterDataError(`${order.orderId}: no warehouse knows ${[...new Set(unmapped)].join(', ')} (no cross-reference in any mapping)`, { orderId: order.orderId, skus: unmapped });
        const now = context.now();
        const decision = await routeOrder(order, context.topology.routes, {
          now,
          stock: context.stock.availability(),
          units: context.units,
          down: context.downWarehouses(),
          slaAtRisk: now.getTime() - Date.parse(order.releasedAt) > SLA_AT_RISK_AFTER_MS,
        });
        if (!decision.warehouseId) {
          const noStock = decision.alternatives.some((a) => a.reasons.some((r) => r.startsWith('stock:')));
          throw noStock ? new InventoryMismatchError(decision.reason, { orderId: order.orderId }) : new MasterDataError(decision.reason, { orderId: order.orderId });
        }
        assignment = context.orders.assign(order, { warehouseId: decision.warehouseId, routeId: decision.routeId ?? null, reason: decision.reason });
        for (const line of order.lines) context.velocity.record(line.sku);
      }
      // Sent already (a repeat after a reroute's fresh release), or cancelled: nothing to do.
      if (assignment.status !== 'routed') return;
      const adapter = warehouseOf(context, assignment.warehouseId);
      const sent = await handler.endpoint(assignment.warehouseId).call(() => adapter.sendOrder(assignment.order));
      context.orders.markSent(order.orderId, sent.warehouseRef);
    },
  };
}

/**
 * Takes a released order from Odoo: publishes it and marks the start of its journey, once (Odoo
 * returns an order again whenever it changes; a release already taken is neither published nor marked again).
 */
export async function takeRelease(context: FlowContext, order: Order, idempotencyKey: string): Promise<void> {
  if (context.orders.get(order.orderId)) return;
  await step('release order', { process: 'order_fulfillment', correlationId: order.orderId, attributes: { 'crossdock.odoo.released_at': order.releasedAt } }, async (span) => {
    const accepted = await context.publish(topics.orderReleased, orderReleasedEvent(context, order, idempotencyKey));
    if (accepted.status === 'enqueued') span.setAttribute(Attr.processMilestone, 'released');
  });
}

