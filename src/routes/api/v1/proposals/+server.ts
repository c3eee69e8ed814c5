import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { ProposalStatus } from '$lib/remediation';
import { actorOf, requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { parseQuery } from '$lib/server/query-params';
import { answer, readBody } from '$lib/server/requests';
import { propose, ProposeBody } from '$lib/server/triage-actions';
import type { RequestHandler } from './$types';

const ProposalQuery = z.object({
  status: ProposalStatus.optional(),
  incident: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Remediation proposals, newest first. */
export const GET: RequestHandler = async ({ locals, url }) => {
  requirePermission(locals.identity, 'view');
  const query = parseQuery(ProposalQuery, url.searchParams);
  const { proposals } = await consoleServices();
  return json({ items: proposals.list({ status: query.status, incidentId: query.incident, limit: query.limit }) }, { headers: { 'cache-control': 'no-store' } });
};

/** Proposes a remediation (or accepts the AI's suggestion); it waits for an approver. */
export const POST: RequestHandler = async ({ locals, request }) => {
  const identity = requirePermission(locals.identity, 'triage');
  const body = await readBody(request, ProposeBody);
  const services = await consoleServices();
  return answer(() => propose(services, body, actorOf(identity)), 201);
};
