import { json } from '@sveltejs/kit';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { loadOverview } from '$lib/server/overview';
import type { RequestHandler } from './$types';

/** What the Overview page shows, as JSON. */
export const GET: RequestHandler = async ({ locals }) => {
  requirePermission(locals.identity, 'view');
  return json(await loadOverview(await consoleServices()), { headers: { 'cache-control': 'no-store' } });
};
