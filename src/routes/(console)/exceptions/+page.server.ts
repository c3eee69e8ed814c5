import { fail } from '@sveltejs/kit';
import { IncidentFilters, withSlaImpact } from '$lib/exceptions';
import { actorOf, can, requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { parseQuery } from '$lib/server/query-params';
import { requireFormIdentity } from '$lib/server/requests';
import { triageMany, TriageVerb } from '$lib/server/triage-actions';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
  const identity = requirePermission(locals.identity, 'view');
  const filters = IncidentFilters.parse(parseQuery(IncidentFilters, url.searchParams));
  const { exceptions, proposals, clickhouse } = await consoleServices();
  const { items, total } = exceptions.queue.list(filters, actorOf(identity));
  const waiting = proposals.list({ status: 'proposed', limit: 500 });
  return { filters, items: await withSlaImpact(clickhouse, exceptions.queue, items), total, waiting: waiting.length, triage: can(identity.role, 'triage') };
}) satisfies PageServerLoad;

export const actions = {
  /** One triage step on the ticked incidents. */
  bulk: async ({ request, locals }) => {
    const form = await request.formData();
    const identity = requireFormIdentity(locals.identity, form, 'triage');
    const verb = TriageVerb.safeParse(form.get('action'));
    const ids = form.getAll('id').map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
    if (!verb.success) return fail(400, { message: 'Choose what to do with the selected incidents.' });
    if (ids.length === 0) return fail(400, { message: 'Select at least one incident.' });
    const results = triageMany(await consoleServices(), ids, verb.data, actorOf(identity), String(form.get('note') ?? ''));
    const refused = results.filter((r) => !r.ok);
    if (refused.length) return fail(409, { message: refused.map((r) => `#${r.id}: ${r.message}`).join('; ') });
    return { ok: true, message: `${verb.data}: ${results.length} incident(s).` };
  },
} satisfies Actions;
