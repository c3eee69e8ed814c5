import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { partnerTraffic } from '$lib/processes/queries/partners';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { parseQuery } from '$lib/server/query-params';
import { readRuntime } from '$lib/server/runtime-admin';
import type { RequestHandler } from './$types';

const Query = z.object({ windowMinutes: z.coerce.number().int().min(1).max(7 * 24 * 60).default(60) });

/** Per partner endpoint: calls, error rate and latency from spans; circuit and pause state and queues from the runtime. */
export const GET: RequestHandler = async ({ locals, url }) => {
  requirePermission(locals.identity, 'view');
  const { windowMinutes } = parseQuery(Query, url.searchParams);
  const { clickhouse, config } = await consoleServices();
  const [traffic, runtime] = await Promise.all([partnerTraffic(clickhouse, windowMinutes * 60_000), readRuntime(config.runtime)]);
  return json({ windowMinutes, traffic, runtime }, { headers: { 'cache-control': 'no-store' } });
};
