import { auditCsv, AuditFilter, listAudit } from '$lib/audit';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { parseQuery } from '$lib/server/query-params';
import type { RequestHandler } from './$types';

/** The filtered audit log as CSV (up to 10,000 entries, newest first), with hashes for checking. */
export const GET: RequestHandler = async ({ locals, url }) => {
  requirePermission(locals.identity, 'audit');
  const params = new URLSearchParams(url.searchParams);
  params.delete('offset');
  params.set('limit', '10000');
  const filter = parseQuery(AuditFilter, params);
  const { db } = await consoleServices();
  return new Response(auditCsv(listAudit(db, filter).items), {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="crossdock-audit.csv"', 'cache-control': 'no-store' },
  });
};
