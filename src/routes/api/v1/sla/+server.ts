import { json } from '@sveltejs/kit';
import { slaReportWithDays, SlaReportQuery } from '$lib/processes/queries/sla-report';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { parseQuery } from '$lib/server/query-params';
import type { RequestHandler } from './$types';

const DAY = 86_400_000;

/** SLA attainment per process, step, warehouse and class, and per day; `from`/`to` default to the last 7 days. */
export const GET: RequestHandler = async ({ locals, url }) => {
  requirePermission(locals.identity, 'reports');
  const now = new Date();
  const query = parseQuery(SlaReportQuery, withDefaults(url.searchParams, now));
  const { clickhouse } = await consoleServices();
  const { steps, days } = await slaReportWithDays(clickhouse, query, now);
  return json({ from: query.from, to: query.to, steps, days }, { headers: { 'cache-control': 'no-store' } });
};

function withDefaults(params: URLSearchParams, now: Date) {
  const copy = new URLSearchParams(params);
  if (!copy.get('to')) copy.set('to', now.toISOString());
  if (!copy.get('from')) copy.set('from', new Date(now.getTime() - 7 * DAY).toISOString());
  return copy;
}
