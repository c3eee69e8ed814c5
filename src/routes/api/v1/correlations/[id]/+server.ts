import { error, json } from '@sveltejs/kit';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { getTransaction } from '$lib/server/transactions/transaction';
import { CorrelationId } from '$lib/server/transactions/transaction-view';
import type { RequestHandler } from './$types';

/** One business transaction's traces, spans in waterfall order, and the milestones it reached. */
export const GET: RequestHandler = async ({ locals, params }) => {
  requirePermission(locals.identity, 'view');
  const id = CorrelationId.safeParse(params.id);
  if (!id.success) error(400, `invalid correlation id: ${id.error.issues[0].message}`);
  const transaction = await getTransaction((await consoleServices()).clickhouse, id.data);
  if (!transaction) error(404, `no spans recorded for correlation id ${id.data}`);
  return json(transaction, { headers: { 'cache-control': 'no-store' } });
};
