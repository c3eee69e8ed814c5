import type { Order } from '../canonical';
import { Attr } from '../../telemetry/conventions';
import { inSpan } from '../../telemetry/spans';
import type { RouteDefinition } from './route-definition';
import { chooseWarehouse, type RoutingContext, type RoutingDecision } from './router';

/**
 * Runs the pure router inside a `route order` span carrying the decision, its reason and every
 * alternative considered, so the console can answer "why did S00042 go to Columbus?".
 */
export async function routeOrder(order: Order, routes: readonly RouteDefinition[], context: RoutingContext): Promise<RoutingDecision> {
  return inSpan('route order', { [Attr.correlationId]: order.orderId, [Attr.processName]: 'order_fulfillment' }, async (span) => {
    const decision = chooseWarehouse(order, routes, context);
    span.setAttributes({
      'crossdock.routing.reason': decision.reason,
      'crossdock.routing.fallback': decision.fallback,
      'crossdock.routing.alternatives': JSON.stringify(decision.alternatives),
      ...(decision.warehouseId ? { [Attr.warehouseId]: decision.warehouseId, 'crossdock.routing.route_id': decision.routeId! } : {}),
    });
    if (decision.warehouseId) span.setAttribute(Attr.processMilestone, 'routed');
    return decision;
  });
}
