import { eventTypes, events, type Return } from '../canonical';
import type { Route } from '../delivery';
import { Attr } from '../../telemetry/conventions';
import { step, type FlowContext } from './context';
import { topics } from './topics';

/**
 * Returns: goods received back at a warehouse become an Odoo return picking on the original
 * delivery, validated at once (idempotent on the RMA, which Odoo itself carries in the picking's
 * origin). Milestones: `received` (when the warehouse's report was taken), `return_picking_created`, `done`.
 */
export function returnsRoute(context: FlowContext): Route {
  return {
    topic: topics.returnReceived,
    orderedByCorrelation: true,
    async handle(envelope, handler) {
      const ret = events.read<Return>(envelope, eventTypes.returnReceived).data;
      const where = { process: 'returns' as const, correlationId: ret.returnId, warehouseId: ret.warehouseId };
      const receipt = await step('create return picking in odoo', { ...where, milestone: 'return_picking_created', attributes: { [Attr.endpointId]: 'odoo', 'crossdock.order.id': ret.orderId } }, async (span) => {
        const result = await handler.endpoint('odoo').call(() => context.odoo.receiveReturn(ret));
        span.setAttributes({ 'odoo.picking': result.returnPickingName, 'odoo.origin_picking': result.originalPickingName, 'crossdock.duplicate': result.duplicate });
        context.orders.confirmReturn(ret.returnId);
        return result;
      });
      await step('return done', { ...where, milestone: 'done', attributes: { 'odoo.picking': receipt.returnPickingName } }, async () => undefined);
    },
  };
}
