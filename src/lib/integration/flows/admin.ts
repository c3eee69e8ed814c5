import { randomUUID } from 'node:crypto';
import type { LeaseStatus } from '../../lease';
import type { FlowContext } from './context';
import type { OrderAssignment } from './order-book';
import { reconciliationRequestedEvent } from './reconciliation';
import type { ReconciliationRun, ReconciliationStore } from './reconciliation-store';
import { checkReroute, rerouteRequestedEvent, type RerouteRefusal } from './reroute';
import { topics } from './topics';

/** What the admin API offers on top of dead letters: reroute, reconciliation, an order's assignment. */
export interface FlowsAdmin {
  reroute(request: { orderId: string; toWarehouseId: string; reason: string; actor: string; requestId: string }): Promise<{ accepted: true; from: string; to: string; duplicate: boolean } | { accepted: false; refusal: RerouteRefusal }>;
  reconcile(requestedBy: string, correct?: boolean): Promise<{ runId: string }>;
  reconciliation(runId: string): ReconciliationRun | undefined;
  reconciliations(limit?: number): ReconciliationRun[];
  order(orderId: string): OrderAssignment | undefined;
  /** Whether this runtime runs the sources (Odoo poll, warehouse inboxes), once they started. */
  sources(): LeaseStatus | undefined;
}

/** The flows' side of the admin API: requests are checked here and carried out on the bus. */
export function flowsAdmin(context: FlowContext, reconciliations: ReconciliationStore, sources: () => LeaseStatus | undefined): FlowsAdmin {
  return {
    async reroute(request) {
      const checked = checkReroute(context, request.orderId, request.toWarehouseId);
      if ('refusal' in checked) return { accepted: false, refusal: checked.refusal };
      const accepted = await context.publish(topics.orderReroute, rerouteRequestedEvent(context, { orderId: request.orderId, toWarehouseId: request.toWarehouseId, reason: request.reason, actor: request.actor }, request.requestId));
      return { accepted: true, from: checked.assignment.warehouseId, to: request.toWarehouseId, duplicate: accepted.status === 'duplicate' };
    },
    async reconcile(requestedBy, correct = true) {
      const runId = `RECON-${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
      await context.publish(topics.reconciliationRequested, reconciliationRequestedEvent(context, { runId, requestedBy, correct }));
      return { runId };
    },
    reconciliation: (runId) => reconciliations.get(runId),
    reconciliations: (limit) => reconciliations.latest(limit),
    order: (orderId) => context.orders.get(orderId),
    sources,
  };
}
