import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { parseQuery } from '$lib/server/query-params';
import type { RequestHandler } from './$types';

const MailFilter = z.object({
  status: z.enum(['pending', 'sent', 'failed']).optional(),
  groupId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Alert email (the outbox): what was sent to whom, what is waiting for a retry and why. */
export const GET: RequestHandler = async ({ locals, url }) => {
  requirePermission(locals.identity, 'view');
  const filter = parseQuery(MailFilter, url.searchParams);
  const { alerts } = await consoleServices();
  return json({ ...alerts.outbox.list(filter), limit: filter.limit, offset: filter.offset }, { headers: { 'cache-control': 'no-store' } });
};
