import { json } from '@sveltejs/kit';
import { HistoryFilter } from '$lib/alerts';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { parseQuery } from '$lib/server/query-params';
import type { RequestHandler } from './$types';

/** Every firing, notification, delivery, acknowledgement, escalation and resolution, newest first. */
export const GET: RequestHandler = async ({ locals, url }) => {
  requirePermission(locals.identity, 'view');
  const filter = parseQuery(HistoryFilter, url.searchParams, ['kind']);
  const { alerts } = await consoleServices();
  return json({ ...alerts.book.history(filter), limit: filter.limit, offset: filter.offset }, { headers: { 'cache-control': 'no-store' } });
};
