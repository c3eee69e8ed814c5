import { slaReport, SlaReportQuery } from '$lib/processes/queries/sla-report';
import { slaReportCsv } from '$lib/processes/sla-csv';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { parseQuery } from '$lib/server/query-params';
import type { RequestHandler } from './$types';

/** The SLA report as CSV, for spreadsheets. Same query parameters as the page. */
export const GET: RequestHandler = async ({ locals, url }) => {
  requirePermission(locals.identity, 'reports');
  const now = new Date();
  const params = new URLSearchParams(url.searchParams);
  if (!params.get('to')) params.set('to', now.toISOString());
  if (!params.get('from')) params.set('from', new Date(now.getTime() - 7 * 86_400_000).toISOString());
  const query = parseQuery(SlaReportQuery, params);
  const { clickhouse } = await consoleServices();
  const rows = await slaReport(clickhouse, query, now);
  const name = `crossdock-sla-${query.from.toISOString().slice(0, 10)}-to-${query.to.toISOString().slice(0, 10)}.csv`;
  return new Response(slaReportCsv(rows), {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' },
  });
};
