import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { actorOf, requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { answer, readBody } from '$lib/server/requests';
import { correctClassification, Correction, triage, TriageVerb } from '$lib/server/triage-actions';
import type { RequestHandler } from './$types';

const Note = z.object({ note: z.string().max(4_000).default('') }).strict();

/** Triage one incident: POST …/assign, …/unassign, …/acknowledge, …/resolve ({note}), …/classification ({category, action}). */
export const POST: RequestHandler = async ({ locals, params, request }) => {
  const identity = requirePermission(locals.identity, 'triage');
  const id = Number(params.id);
  if (!Number.isSafeInteger(id)) error(404, `no incident ${params.id}`);
  const services = await consoleServices();
  if (params.verb === 'classification') {
    const body = await readBody(request, Correction);
    return answer(() => correctClassification(services, id, body, actorOf(identity)));
  }
  const verb = TriageVerb.safeParse(params.verb);
  if (!verb.success) error(404, `no action ${params.verb}: use assign, unassign, acknowledge, resolve or classification`);
  const { note } = verb.data === 'resolve' ? await readBody(request, Note) : { note: '' };
  return answer(() => triage(services, id, verb.data, actorOf(identity), note));
};
