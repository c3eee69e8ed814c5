import { listTransactions, TransactionFilters } from '$lib/processes/queries/transactions';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { parseQuery } from '$lib/server/query-params';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
  requirePermission(locals.identity, 'view');
  const filters = parseQuery(TransactionFilters, url.searchParams, ['state']);
  const { clickhouse } = await consoleServices();
  return { filters, ...(await listTransactions(clickhouse, filters)) };
}) satisfies PageServerLoad;
