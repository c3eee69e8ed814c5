import { json } from '@sveltejs/kit';
import { listTransactions, TransactionFilters } from '$lib/processes/queries/transactions';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { parseQuery } from '$lib/server/query-params';
import type { RequestHandler } from './$types';

/** Transactions with their state; query parameters as documented in docs/api.md. */
export const GET: RequestHandler = async ({ locals, url }) => {
  requirePermission(locals.identity, 'view');
  const filters = parseQuery(TransactionFilters, url.searchParams, ['state']);
  const { clickhouse } = await consoleServices();
  const { items, total } = await listTransactions(clickhouse, filters);
  return json({ total, limit: filters.limit, offset: filters.offset, items }, { headers: { 'cache-control': 'no-store' } });
};
