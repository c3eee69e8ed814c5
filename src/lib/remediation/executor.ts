import { RuntimeUnavailableError, type AdminCallResult, type RuntimeAdminClient } from '../server/runtime-admin';
import type { Proposal, Target, TargetOutcome } from './proposal';
import type { ProposalBook } from './proposals';

/**
 * Carries out an approved proposal through the runtime admin API, one call per target, each with
 * the proposal id (and the target's position) as its Idempotency-Key: running it again, after a
 * crash or a retry, repeats nothing in the runtime.
 */
export async function execute(proposal: Proposal, runtime: RuntimeAdminClient, book: ProposalBook, actor: string): Promise<Proposal> {
  if (proposal.status !== 'executing') return proposal;
  const calls = proposal.targets.map((target, index) => ({ target, idempotencyKey: proposal.targets.length === 1 ? proposal.id : `${proposal.id}:${index + 1}` }));
  book.executing(proposal.id, actor, calls);
  const outcome: TargetOutcome[] = [];
  for (const { target, idempotencyKey } of calls) {
    try {
      outcome.push(toOutcome(target, await call(proposal, target, runtime, { actor: `${actor} (proposal ${proposal.id})`, idempotencyKey })));
    } catch (error) {
      const message = error instanceof RuntimeUnavailableError ? error.message : `unexpected: ${(error as Error).message}`;
      outcome.push({ target, result: 'failed', message });
    }
  }
  return book.finish(proposal.id, outcome, actor);
}

function call(proposal: Proposal, target: Target, runtime: RuntimeAdminClient, key: { actor: string; idempotencyKey: string }): Promise<AdminCallResult> {
  const reason = proposal.params.reason ?? `${proposal.action} approved in the console`;
  if (target.kind === 'dead_letter') {
    return proposal.action === 'replay'
      ? runtime.replay(target.deadLetterId, key)
      : runtime.discard(target.deadLetterId, { ...key, reason });
  }
  return runtime.reroute(target.correlationId, { ...key, warehouseId: proposal.params.warehouseId!, reason });
}

function toOutcome(target: Target, response: AdminCallResult): TargetOutcome {
  const message = String(response.body.message ?? response.body.outcome ?? response.status);
  if (response.ok) return { target, result: response.body.outcome === 'repeated' ? 'repeated' : 'done', status: response.status, message };
  // Someone already replayed or discarded it: the goal holds, nothing was run twice.
  if (response.status === 409 && response.body.error === 'not_open') return { target, result: 'skipped', status: 409, message };
  return { target, result: 'failed', status: response.status, message };
}
