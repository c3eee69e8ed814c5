import type { WarehouseAdapter } from '../../connectors/warehouse-adapter';
import type { DeadLetterStore } from '../../delivery';
import type { FlowContext } from '../context';
import { quarantine } from './quarantine';
import { acceptWarehouseEvents } from './warehouse-events';

/**
 * Reads what one warehouse published since the last round (files in its outbox, the REST WMS's
 * reconciliation poll) and takes it; undecodable messages are kept as dead letters (the adapter
 * has already kept the raw file in its ledger and error folder).
 */
export async function readWarehouseInbox(context: FlowContext, adapter: WarehouseAdapter, deadLetters: DeadLetterStore): Promise<void> {
  const received = await adapter.receive(acceptWarehouseEvents(context));
  for (const r of received.rejected) quarantine(deadLetters, context.source, { partner: adapter.warehouseId, externalId: r.externalId, error: r.error, rawPayload: r.rawPayload });
}
