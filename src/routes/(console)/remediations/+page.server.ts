import { z } from 'zod';
import { ProposalStatus } from '$lib/remediation';
import { actorOf, can, requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { parseQuery } from '$lib/server/query-params';
import { decisionActions } from '$lib/server/triage-actions';
import { warehouseIds } from '$lib/server/warehouse-ids';
import type { Actions, PageServerLoad } from './$types';

const Query = z.object({ status: ProposalStatus.optional() });

/** The approvers' queue: proposals waiting for a decision first, then what happened to the rest. */
export const load = (async ({ locals, url }) => {
  const identity = requirePermission(locals.identity, 'view');
  const { status } = parseQuery(Query, url.searchParams);
  const { proposals, config } = await consoleServices();
  return {
    status: status ?? null,
    proposals: proposals.list({ status: status ?? 'proposed', limit: 200 }),
    actor: actorOf(identity),
    canApprove: can(identity.role, 'approve'),
    canEdit: can(identity.role, 'triage'),
    warehouses: warehouseIds(config.runtime.topologyFile),
  };
}) satisfies PageServerLoad;

export const actions = decisionActions satisfies Actions;
