import { json } from '@sveltejs/kit';
import { AlertFilter } from '$lib/alerts';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { parseQuery } from '$lib/server/query-params';
import type { RequestHandler } from './$types';

/** Alerts (firing first; `?state=firing,pending`, `ruleId`, `groupKey`, paging) and the open notification groups. */
export const GET: RequestHandler = async ({ locals, url }) => {
  requirePermission(locals.identity, 'view');
  const filter = parseQuery(AlertFilter, url.searchParams, ['state']);
  const { alerts } = await consoleServices();
  return json({ ...alerts.book.list(filter), groups: alerts.groups.open() }, { headers: { 'cache-control': 'no-store' } });
};
