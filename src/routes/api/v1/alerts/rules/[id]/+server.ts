import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { AlertingError } from '$lib/alerts';
import { actorOf, requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { answer, readBody } from '$lib/server/requests';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
  requirePermission(locals.identity, 'view');
  const rule = (await consoleServices()).alerts.rules.get(params.id);
  if (!rule) error(404, `no alert rule ${params.id}`);
  return json(rule, { headers: { 'cache-control': 'no-store' } });
};

/** Replaces a rule (validated; audited). `{"reset": true}` puts a shipped rule back to its default. */
export const PUT: RequestHandler = async ({ locals, params, request }) => {
  const identity = requirePermission(locals.identity, 'administer');
  const body = await readBody(request, z.record(z.string(), z.unknown()));
  const { alerts } = await consoleServices();
  return answer(() => {
    if (body.reset === true) return alerts.rules.reset(params.id, actorOf(identity));
    if (body.id !== undefined && body.id !== params.id) throw new AlertingError(422, `id: the body says ${String(body.id)} but the path says ${params.id}`);
    return alerts.rules.save({ ...body, id: params.id }, actorOf(identity));
  });
};

export const DELETE: RequestHandler = async ({ locals, params }) => {
  const identity = requirePermission(locals.identity, 'administer');
  const { alerts } = await consoleServices();
  return answer(() => {
    alerts.rules.remove(params.id, actorOf(identity));
    return { deleted: params.id };
  });
};
