import { json } from '@sveltejs/kit';
import { IncidentFilters, withSlaImpact } from '$lib/exceptions';
import { actorOf, requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { parseQuery } from '$lib/server/query-params';
import type { RequestHandler } from './$types';

/** The triage queue: incidents (groups of similar exceptions), filtered and paged as in docs/api.md. */
export const GET: RequestHandler = async ({ locals, url }) => {
  const identity = requirePermission(locals.identity, 'view');
  const filters = parseQuery(IncidentFilters, url.searchParams);
  const { exceptions, clickhouse } = await consoleServices();
  const { items, total } = exceptions.queue.list(filters, actorOf(identity));
  return json({ total, limit: filters.limit, offset: filters.offset, items: await withSlaImpact(clickhouse, exceptions.queue, items) }, { headers: { 'cache-control': 'no-store' } });
};
