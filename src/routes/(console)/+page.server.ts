import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { loadOverview } from '$lib/server/overview';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals }) => {
  requirePermission(locals.identity, 'view');
  return { overview: await loadOverview(await consoleServices()) };
}) satisfies PageServerLoad;
