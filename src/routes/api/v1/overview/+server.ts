import { json } from '@sveltejs/kit';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { currentOverview } from '$lib/server/overview-snapshot';
import type { RequestHandler } from './$types';

/** What the Overview page shows, as JSON. */
export const GET: RequestHandler = async ({ locals }) => {
  requirePermission(locals.identity, 'view');
  return json(await currentOverview(await consoleServices()), { headers: { 'cache-control': 'no-store' } });
};
