import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { ProposalParams } from '$lib/remediation';
import { actorOf, requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { answer, readBody } from '$lib/server/requests';
import { approve } from '$lib/server/triage-actions';
import type { RequestHandler } from './$types';

const Decision = z.object({ note: z.string().max(2_000).default('') }).strict();

/**
 * POST …/approve ({note}) runs an executable proposal once and answers its outcome;
 * …/reject ({note}) closes it; …/edit ({params}) changes a waiting one (the editor then may not approve it).
 */
export const POST: RequestHandler = async ({ locals, params, request }) => {
  const services = await consoleServices();
  switch (params.verb) {
    case 'approve': {
      const identity = requirePermission(locals.identity, 'approve');
      const { note } = await readBody(request, Decision);
      return answer(() => approve(services, params.id, actorOf(identity), note || undefined));
    }
    case 'reject': {
      const identity = requirePermission(locals.identity, 'approve');
      const { note } = await readBody(request, Decision);
      return answer(() => services.proposals.reject(params.id, actorOf(identity), note));
    }
    case 'edit': {
      const identity = requirePermission(locals.identity, 'triage');
      const body = await readBody(request, z.object({ params: ProposalParams }).strict());
      return answer(() => services.proposals.edit(params.id, body.params, actorOf(identity)));
    }
    default:
      error(404, `no action ${params.verb}: use approve, reject or edit`);
  }
};
