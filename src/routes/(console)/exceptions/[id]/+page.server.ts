import { error } from '@sveltejs/kit';
import { listAudit } from '$lib/audit';
import { ExceptionCategory, RemediationAction } from '$lib/integration/taxonomy';
import { actorOf, can, requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { formAction } from '$lib/server/requests';
import { warehouseIds } from '$lib/server/warehouse-ids';
import { correctClassification, decisionActions, paramsFrom, propose, triage, TriageVerb } from '$lib/server/triage-actions';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
  const identity = requirePermission(locals.identity, 'view');
  const id = Number(params.id);
  const { exceptions, proposals, config } = await consoleServices();
  const incident = Number.isSafeInteger(id) ? exceptions.queue.get(id) : undefined;
  if (!incident) error(404, `No incident ${params.id}.`);
  const history = can(identity.role, 'audit') ? listAudit((await consoleServices()).db, { subject: `incident:${id}`, limit: 50 }).items : [];
  const list = proposals.list({ incidentId: id, limit: 50 });
  return {
    incident,
    members: exceptions.queue.members(id, { limit: 200 }),
    proposals: list,
    history,
    actor: actorOf(identity),
    can: { triage: can(identity.role, 'triage'), approve: can(identity.role, 'approve') },
    warehouses: warehouseIds(config.runtime.topologyFile),
    taxonomy: { categories: ExceptionCategory.options, actions: RemediationAction.options },
  };
}) satisfies PageServerLoad;

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

export const actions = {
  triage: ({ request, locals, params }) =>
    formAction({ request, locals }, 'triage', async (form, actor) => {
      const verb = TriageVerb.parse(form.get('verb'));
      triage(await consoleServices(), Number(params.id), verb, actor, text(form, 'note'));
      return { assign: 'Incident assigned to you.', unassign: 'Incident unassigned.', acknowledge: 'Incident acknowledged.', resolve: 'Incident resolved.' }[verb];
    }),
  classify: ({ request, locals, params }) =>
    formAction({ request, locals }, 'triage', async (form, actor) => {
      correctClassification(await consoleServices(), Number(params.id), { category: ExceptionCategory.parse(form.get('category')), action: RemediationAction.parse(form.get('action')) }, actor);
      return 'Classification recorded; the classifier learns from it.';
    }),
  accept: ({ request, locals, params }) =>
    formAction({ request, locals }, 'triage', async (form, actor) => {
      const proposal = propose(await consoleServices(), { incidentId: Number(params.id), acceptSuggestion: true, params: paramsFrom(form) }, actor);
      return `Suggestion accepted: proposal to ${proposal.action.replace('_', ' ')} ${proposal.targets.length} target(s) waits for an approver.`;
    }),
  propose: ({ request, locals, params }) =>
    formAction({ request, locals }, 'triage', async (form, actor) => {
      const proposal = propose(
        await consoleServices(),
        { incidentId: Number(params.id), action: RemediationAction.parse(form.get('action')), params: paramsFrom(form), correlationId: text(form, 'correlationId') || undefined },
        actor,
      );
      return `Proposal to ${proposal.action.replace('_', ' ')} ${proposal.targets.length} target(s) waits for an approver.`;
    }),
  ...decisionActions,
} satisfies Actions;
