import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { currentOverview } from '$lib/server/overview-snapshot';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals }) => {
  requirePermission(locals.identity, 'view');
  return { overview: await currentOverview(await consoleServices()) };
}) satisfies PageServerLoad;
