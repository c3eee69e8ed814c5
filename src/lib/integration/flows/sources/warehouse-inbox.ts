import type { WarehouseAdapter } from '../../connectors/warehouse-adapter';
import type { DeadLetterStore } from '../../delivery';
import type { IntegrationError } from '../../errors';
import { Attr } from '../../../telemetry/conventions';
import type { FlowContext } from '../context';
import { quarantine } from './quarantine';
import type { RaiseOnce } from './raise-once';
import { acceptWarehouseEvents } from './warehouse-events';

/** Conditions a warehouse's protocol can only show by their absence (a 940 no 997 answered). */
export type OverdueCheck = () => IntegrationError[];

/**
 * Reads what one warehouse published since the last round (files in its outbox, the REST WMS's
 * reconciliation poll) and takes it; undecodable messages are kept as dead letters (the adapter
 * has already kept the raw file in its ledger and error folder).
 */
export async function readWarehouseInbox(context: FlowContext, adapter: WarehouseAdapter, deadLetters: DeadLetterStore, overdue?: { check: OverdueCheck; raised: RaiseOnce }): Promise<void> {
  const received = await adapter.receive(acceptWarehouseEvents(context));
  for (const r of received.rejected) quarantine(deadLetters, context.source, { partner: adapter.warehouseId, externalId: r.externalId, error: r.error, rawPayload: r.rawPayload });
  for (const error of overdue?.check() ?? []) {
    const orderId = String(error.details.orderId ?? '');
    overdue!.raised.raise(`${adapter.warehouseId}:${error.name}:${orderId}`, `overdue ${adapter.warehouseId}`, {
      [Attr.correlationId]: orderId,
      [Attr.processName]: 'order_fulfillment',
      [Attr.warehouseId]: adapter.warehouseId,
      [Attr.endpointId]: adapter.warehouseId,
    }, error);
  }
}
