import { breachedTransactions, slaReportWithBreaches, SlaReportQuery } from '$lib/processes/queries/sla-report';
import { requirePermission } from '$lib/server/auth';
import { lineChartSvg } from '$lib/server/charts';
import { consoleServices } from '$lib/server/console-services';
import { parseQuery } from '$lib/server/query-params';
import type { PageServerLoad } from './$types';

const DAY = 86_400_000;

export const load = (async ({ locals, url }) => {
  requirePermission(locals.identity, 'reports');
  const now = new Date();
  const params = new URLSearchParams(url.searchParams);
  if (!params.get('to')) params.set('to', now.toISOString());
  if (!params.get('from')) params.set('from', new Date(now.getTime() - 7 * DAY).toISOString());
  const query = parseQuery(SlaReportQuery, params);
  const { clickhouse } = await consoleServices();
  const { steps, days, breaches: found } = await slaReportWithBreaches(clickhouse, query, now);
  const breaches = await breachedTransactions(clickhouse, found, now);
  const chart = lineChartSvg({
    title: 'SLA attainment per day (UTC)',
    x: days.map((d) => d.day),
    series: [{ name: 'attainment', values: days.map((d) => d.attainment) }],
    yMax: 1,
    yFormat: 'percent',
  });
  return { query: { ...query, from: query.from.toISOString(), to: query.to.toISOString() }, steps, days, chart, breaches, exportQuery: params.toString() };
}) satisfies PageServerLoad;
