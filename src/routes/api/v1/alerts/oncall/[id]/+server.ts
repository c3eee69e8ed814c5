import { z } from 'zod';
import { AlertingError } from '$lib/alerts';
import { actorOf, requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { answer, readBody } from '$lib/server/requests';
import type { RequestHandler } from './$types';

/** Creates or replaces a schedule (validated: every login must be a user; audited). */
export const PUT: RequestHandler = async ({ locals, params, request }) => {
  const identity = requirePermission(locals.identity, 'administer');
  const body = await readBody(request, z.record(z.string(), z.unknown()));
  const { alerts } = await consoleServices();
  return answer(() => {
    if (body.id !== undefined && body.id !== params.id) throw new AlertingError(422, `id: the body says ${String(body.id)} but the path says ${params.id}`);
    return alerts.schedules.save({ ...body, id: params.id }, actorOf(identity));
  });
};

export const DELETE: RequestHandler = async ({ locals, params }) => {
  const identity = requirePermission(locals.identity, 'administer');
  const { alerts } = await consoleServices();
  return answer(() => {
    alerts.schedules.remove(params.id, actorOf(identity));
    return { deleted: params.id };
  });
};
