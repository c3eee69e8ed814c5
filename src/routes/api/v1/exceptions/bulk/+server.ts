import { z } from 'zod';
import { actorOf, requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { answer, readBody } from '$lib/server/requests';
import { triageMany, TriageVerb } from '$lib/server/triage-actions';
import type { RequestHandler } from './$types';

const Bulk = z
  .object({
    ids: z.array(z.number().int().positive()).min(1, 'name at least one incident').max(500),
    action: TriageVerb,
    note: z.string().max(4_000).default(''),
  })
  .strict();

/** One triage step on several incidents; answers each incident's result. */
export const POST: RequestHandler = async ({ locals, request }) => {
  const identity = requirePermission(locals.identity, 'triage');
  const body = await readBody(request, Bulk);
  const services = await consoleServices();
  return answer(() => ({ results: triageMany(services, body.ids, body.action, actorOf(identity), body.note) }));
};
