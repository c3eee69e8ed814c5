import { error } from '@sveltejs/kit';
import { RemediationAction } from '$lib/integration/taxonomy';
import { actorOf, can, requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { formAction } from '$lib/server/requests';
import { loadTransactionView } from '$lib/server/transactions/transaction-view';
import { decisionActions, paramsFrom, propose } from '$lib/server/triage-actions';
import { warehouseIds } from '$lib/server/warehouse-ids';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
  const identity = requirePermission(locals.identity, 'view');
  const services = await consoleServices();
  const view = await loadTransactionView(services, params.id);
  if (!view) error(404, `Nothing was recorded for ${params.id}.`);
  return {
    view,
    actor: actorOf(identity),
    can: { triage: can(identity.role, 'triage'), approve: can(identity.role, 'approve') },
    warehouses: warehouseIds(services.config.runtime.topologyFile),
  };
}) satisfies PageServerLoad;

export const actions = {
  /** Proposes a remediation for this transaction's part of an incident (replay its dead letter, reroute it). */
  propose: (event) =>
    formAction(event, 'triage', async (form, actor) => {
      const proposal = propose(
        await consoleServices(),
        { incidentId: Number(form.get('incidentId')), action: RemediationAction.parse(String(form.get('action') ?? '').trim()), correlationId: event.params.id, params: paramsFrom(form) },
        actor,
      );
      return `Proposal to ${proposal.action.replace('_', ' ')} ${event.params.id} waits for an approver.`;
    }),
  ...decisionActions,
} satisfies Actions;
