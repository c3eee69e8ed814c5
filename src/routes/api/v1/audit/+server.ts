import { json } from '@sveltejs/kit';
import { AuditFilter, listAudit } from '$lib/audit';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { parseQuery } from '$lib/server/query-params';
import type { RequestHandler } from './$types';

/** Audit entries, newest first, filtered by actor, action (prefix), subject and time. */
export const GET: RequestHandler = async ({ locals, url }) => {
  requirePermission(locals.identity, 'audit');
  const filter = parseQuery(AuditFilter, url.searchParams);
  const { db } = await consoleServices();
  return json({ ...listAudit(db, filter), limit: filter.limit, offset: filter.offset }, { headers: { 'cache-control': 'no-store' } });
};
