import { error } from '@sveltejs/kit';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { loadTransactionView } from '$lib/server/transactions/transaction-view';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
  requirePermission(locals.identity, 'view');
  const view = await loadTransactionView(await consoleServices(), params.id);
  if (!view) error(404, `Nothing was recorded for ${params.id}.`);
  return { view };
}) satisfies PageServerLoad;
