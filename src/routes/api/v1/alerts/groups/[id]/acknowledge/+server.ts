import { actorOf, requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { answer } from '$lib/server/requests';
import type { RequestHandler } from './$types';

/** Takes an incident: no more repeats or escalation for it (audited). 409 when already taken or resolved. */
export const POST: RequestHandler = async ({ locals, params }) => {
  const identity = requirePermission(locals.identity, 'respond');
  const { alerts } = await consoleServices();
  return answer(() => alerts.groups.acknowledge(Number(params.id), actorOf(identity), 'api'));
};
