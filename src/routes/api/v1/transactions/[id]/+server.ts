import { error, json } from '@sveltejs/kit';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { loadTransactionView } from '$lib/server/transactions/transaction-view';
import type { RequestHandler } from './$types';

/** One business transaction: state per process, SLA steps, spans, milestones. */
export const GET: RequestHandler = async ({ locals, params }) => {
  requirePermission(locals.identity, 'view');
  const view = await loadTransactionView(await consoleServices(), params.id);
  if (!view) error(404, `no spans recorded for correlation id ${params.id}`);
  return json(view, { headers: { 'cache-control': 'no-store' } });
};
