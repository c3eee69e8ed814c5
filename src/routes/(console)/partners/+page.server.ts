import { partnerTraffic } from '$lib/processes/queries/partners';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { readRuntime } from '$lib/server/runtime-admin';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals }) => {
  requirePermission(locals.identity, 'view');
  const { clickhouse, config } = await consoleServices();
  const [hour, day, runtime] = await Promise.all([partnerTraffic(clickhouse, 3_600_000), partnerTraffic(clickhouse, 86_400_000), readRuntime(config.runtime)]);
  const ids = [...new Set([...day.map((d) => d.endpoint), ...runtime.endpoints.map((e) => e.id)])].sort();
  return {
    partners: ids.map((id) => ({ id, hour: hour.find((h) => h.endpoint === id), day: day.find((d) => d.endpoint === id), runtime: runtime.endpoints.find((e) => e.id === id) })),
    queues: runtime.queues,
    runtimeError: runtime.error,
  };
}) satisfies PageServerLoad;
