import { HistoryFilter } from '$lib/alerts';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { parseQuery } from '$lib/server/query-params';
import type { PageServerLoad } from './$types';

/** Every alert event, newest first, filtered by kind (several may be ticked) and paged. */
export const load = (async ({ locals, url }) => {
  requirePermission(locals.identity, 'view');
  const filter = HistoryFilter.parse(parseQuery(HistoryFilter, url.searchParams, ['kind']));
  const { alerts } = await consoleServices();
  return { filter, ...alerts.book.history(filter) };
}) satisfies PageServerLoad;
