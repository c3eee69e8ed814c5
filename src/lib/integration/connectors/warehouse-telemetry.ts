import { categoryOf } from '../errors';
import { Attr } from '../../telemetry/conventions';
import { inSpan } from '../../telemetry/spans';
import type { WarehouseAdapter } from './warehouse-adapter';

/**
 * Wraps any adapter so each port call is a span named `<operation> <warehouse>` with the
 * warehouse and correlation attributes the console joins on. A successful `sendOrder` marks the
 * `sent_to_warehouse` milestone; `receive` records how many events it decoded and, as span
 * events, each rejected message with its category. The adapter's own partner-call spans (HTTP,
 * SFTP) nest inside. Telemetry never changes the outcome.
 */
export function withTelemetry(adapter: WarehouseAdapter): WarehouseAdapter {
  const w = adapter.warehouseId;
  const base = { [Attr.warehouseId]: w, [Attr.endpointId]: w, 'crossdock.warehouse.dialect': adapter.dialect };
  return {
    warehouseId: w,
    dialect: adapter.dialect,
    capabilities: adapter.capabilities,
    sendOrder: (order) =>
      inSpan(`send order ${w}`, { ...base, [Attr.correlationId]: order.orderId, [Attr.processName]: 'order_fulfillment' }, async (span) => {
        const sent = await adapter.sendOrder(order);
        span.setAttributes({ 'crossdock.warehouse.ref': sent.warehouseRef, 'crossdock.warehouse.duplicate': sent.duplicate, [Attr.processMilestone]: 'sent_to_warehouse' });
        return sent;
      }),
    cancelOrder: (orderId) =>
      inSpan(`cancel order ${w}`, { ...base, [Attr.correlationId]: orderId, [Attr.processName]: 'order_fulfillment' }, async (span) => {
        const outcome = await adapter.cancelOrder(orderId);
        span.setAttribute('crossdock.cancel.status', outcome.status);
        return outcome;
      }),
    fetchInventory: () =>
      inSpan(`fetch inventory ${w}`, { ...base, [Attr.processName]: 'inventory_sync' }, async (span) => {
        const positions = await adapter.fetchInventory();
        span.setAttribute('crossdock.inventory.positions', positions.length);
        return positions;
      }),
    fetchOrderStatus: (orderId) =>
      inSpan(`fetch order_status ${w}`, { ...base, [Attr.correlationId]: orderId, [Attr.processName]: 'order_fulfillment' }, async (span) => {
        const status = await adapter.fetchOrderStatus(orderId);
        span.setAttribute('crossdock.warehouse.order_state', status.state);
        return status;
      }),
    receive: (accept) =>
      inSpan(`receive ${w}`, base, async (span) => {
        const received = await adapter.receive(accept);
        span.setAttributes({ 'crossdock.received.events': received.events.length, 'crossdock.received.rejected': received.rejected.length });
        for (const r of received.rejected)
          span.addEvent('message.rejected', { 'crossdock.message.external_id': r.externalId, [Attr.exceptionCategory]: categoryOf(r.error), 'exception.message': r.error.message });
        return received;
      }),
    close: () => adapter.close(),
  };
}
