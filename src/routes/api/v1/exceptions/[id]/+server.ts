import { error, json } from '@sveltejs/kit';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import type { RequestHandler } from './$types';

/** One incident with its occurrences (newest open first, at most 500) and its remediation proposals. */
export const GET: RequestHandler = async ({ locals, params }) => {
  requirePermission(locals.identity, 'view');
  const id = Number(params.id);
  const { exceptions, proposals } = await consoleServices();
  const incident = Number.isSafeInteger(id) ? exceptions.queue.get(id) : undefined;
  if (!incident) error(404, `no incident ${params.id}`);
  return json(
    { incident, members: exceptions.queue.members(id), proposals: proposals.list({ incidentId: id }) },
    { headers: { 'cache-control': 'no-store' } },
  );
};
