import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { AlertingError } from '$lib/alerts';
import { actorOf, requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { answer, readBody } from '$lib/server/requests';
import type { RequestHandler } from './$types';

/** Every alert rule with who changed it last and whether it is still the shipped default. */
export const GET: RequestHandler = async ({ locals }) => {
  requirePermission(locals.identity, 'view');
  const { alerts } = await consoleServices();
  return json({ rules: alerts.rules.list() }, { headers: { 'cache-control': 'no-store' } });
};

/** Creates a rule (the body is a rule; see docs/alerting.md). 409 when the id exists. */
export const POST: RequestHandler = async ({ locals, request }) => {
  const identity = requirePermission(locals.identity, 'administer');
  const body = await readBody(request, z.record(z.string(), z.unknown()));
  const { alerts } = await consoleServices();
  return answer(() => {
    if (typeof body.id === 'string' && alerts.rules.get(body.id)) throw new AlertingError(409, `alert rule ${body.id} exists: PUT /api/v1/alerts/rules/${body.id} changes it`);
    return alerts.rules.save(body, actorOf(identity));
  }, 201);
};
