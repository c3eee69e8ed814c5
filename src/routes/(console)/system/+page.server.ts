import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { checkHealth } from '$lib/server/health';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals }) => {
  requirePermission(locals.identity, 'view');
  const services = await consoleServices();
  return {
    health: await checkHealth(services),
    listen: { host: services.config.console.host, port: services.config.console.port },
  };
}) satisfies PageServerLoad;
