import { AuditFilter, listAudit } from '$lib/audit';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { parseQuery } from '$lib/server/query-params';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
  requirePermission(locals.identity, 'audit');
  const filter = AuditFilter.parse(parseQuery(AuditFilter, url.searchParams));
  const { db } = await consoleServices();
  return { filter: { ...filter, from: filter.from?.toISOString(), to: filter.to?.toISOString() }, ...listAudit(db, filter), exportQuery: url.searchParams.toString() };
}) satisfies PageServerLoad;
