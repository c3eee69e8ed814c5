import { json } from '@sveltejs/kit';
import { SilenceInput } from '$lib/alerts';
import { actorOf, requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { answer, readBody } from '$lib/server/requests';
import type { RequestHandler } from './$types';

/** Silences and maintenance windows: `current` (active and upcoming) and the last 100 `past`. */
export const GET: RequestHandler = async ({ locals }) => {
  requirePermission(locals.identity, 'view');
  return json((await consoleServices()).alerts.silences.list(), { headers: { 'cache-control': 'no-store' } });
};

/** `{kind, matchers, startsAt?, endsAt, reason}`; audited with its author. */
export const POST: RequestHandler = async ({ locals, request }) => {
  const identity = requirePermission(locals.identity, 'respond');
  const body = await readBody(request, SilenceInput);
  const { alerts } = await consoleServices();
  return answer(() => alerts.silences.create(body, actorOf(identity)), 201);
};
