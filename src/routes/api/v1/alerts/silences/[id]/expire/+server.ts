import { actorOf, requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { answer } from '$lib/server/requests';
import type { RequestHandler } from './$types';

/** Ends a silence now (audited); 409 when it is already over. */
export const POST: RequestHandler = async ({ locals, params }) => {
  const identity = requirePermission(locals.identity, 'respond');
  const { alerts } = await consoleServices();
  return answer(() => alerts.silences.expire(Number(params.id), actorOf(identity)));
};
