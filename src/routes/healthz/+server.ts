import { json } from '@sveltejs/kit';
import { consoleServices } from '$lib/server/console-services';
import { checkHealth } from '$lib/server/health';
import type { RequestHandler } from './$types';

/** Liveness and readiness for load balancers and `curl`: 200 when ClickHouse answers and the schema is current. */
export const GET: RequestHandler = async () => {
  const health = await checkHealth(await consoleServices());
  return json(health, { status: health.status === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
};
