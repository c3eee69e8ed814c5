import { z } from 'zod';
import { exampleOf } from '../exceptions/examples';
import { ExceptionCategory, RemediationAction } from '../integration/taxonomy';
import { execute, ProposalParams, RemediationError, type Proposal } from '../remediation';
import { consoleServices, type ConsoleServices } from './console-services';
import { formAction, refusalOf } from './requests';

/**
 * What people do from the exception queue, shared by the pages' form actions and the JSON API,
 * so both follow the same rules and leave the same audit trail.
 */

export const TriageVerb = z.enum(['assign', 'unassign', 'acknowledge', 'resolve']);
export type TriageVerb = z.infer<typeof TriageVerb>;

/** Applies one triage step to one incident. */
export function triage(services: ConsoleServices, incidentId: number, verb: TriageVerb, actor: string, note = '') {
  const { queue } = services.exceptions;
  switch (verb) {
    case 'assign':
      return queue.assign(incidentId, actor, actor);
    case 'unassign':
      return queue.assign(incidentId, null, actor);
    case 'acknowledge':
      return queue.acknowledge(incidentId, actor);
    case 'resolve':
      return queue.resolve(incidentId, note, actor);
  }
}

/** Applies a triage step to several incidents; each succeeds or is refused on its own. */
export function triageMany(services: ConsoleServices, ids: number[], verb: TriageVerb, actor: string, note = '') {
  return ids.map((id) => {
    try {
      triage(services, id, verb, actor, note);
      return { id, ok: true as const };
    } catch (failure) {
      const refusal = refusalOf(failure);
      if (refusal) return { id, ok: false as const, message: refusal.message };
      throw failure;
    }
  });
}

export const Correction = z.object({ category: ExceptionCategory, action: RemediationAction }).strict();

/** A person confirms or corrects the classification; the offline engine learns it at once. */
export function correctClassification(services: ConsoleServices, incidentId: number, input: z.infer<typeof Correction>, actor: string) {
  const { queue } = services.exceptions;
  const incident = queue.confirmClassification(incidentId, Correction.parse(input), actor);
  const example = exampleOf(incident, queue.members(incidentId, { limit: 1 })[0]);
  if (example) services.classifier.learn(example);
  return incident;
}

export const ProposeBody = z
  .object({
    incidentId: z.coerce.number().int().positive(),
    /** Omitted with `acceptSuggestion`: the classifier's action is taken. */
    action: RemediationAction.optional(),
    params: ProposalParams.default({}),
    correlationId: z.string().max(128).optional(),
    /** Accept the classifier's suggestion for this incident (marked as the AI's). */
    acceptSuggestion: z.boolean().default(false),
  })
  .strict();

/** A proposal's parameters as the pages' forms send them: blank fields are left out. */
export function paramsFrom(form: FormData): ProposalParams {
  const params: ProposalParams = {};
  for (const key of ['warehouseId', 'reason'] as const) {
    const value = String(form.get(key) ?? '').trim();
    if (value) params[key] = value;
  }
  return params;
}

/** Proposes a remediation, by a person or by accepting the AI's suggestion. It never runs by itself. */
export function propose(services: ConsoleServices, input: z.input<typeof ProposeBody>, actor: string): Proposal {
  const body = ProposeBody.parse(input);
  if (!body.acceptSuggestion) {
    if (!body.action) throw new RemediationError(422, 'action is required (or acceptSuggestion: true)');
    return services.proposals.propose({ incidentId: body.incidentId, action: body.action, params: body.params, correlationId: body.correlationId }, actor);
  }
  const incident = services.exceptions.queue.get(body.incidentId);
  if (!incident) throw new RemediationError(404, `no incident ${body.incidentId}`);
  const ai = incident.classification;
  if (!ai) throw new RemediationError(409, 'the incident is not classified yet: propose an action yourself');
  return services.proposals.propose(
    {
      incidentId: body.incidentId,
      action: body.action ?? ai.action,
      params: body.params,
      correlationId: body.correlationId,
      suggestion: { engine: ai.engine, model: ai.model, category: ai.category, action: ai.action, confidence: ai.confidence, rationale: ai.rationale },
    },
    actor,
  );
}

/** Approves (four eyes) and, for executable actions, runs the proposal through the runtime once. */
export async function approve(services: Pick<ConsoleServices, 'proposals' | 'runtime' | 'exceptions'>, proposalId: string, actor: string, note?: string): Promise<Proposal> {
  const approved = services.proposals.approve(proposalId, actor, note);
  const finished = await execute(approved, services.runtime, services.proposals, actor);
  // The runtime's answer shows in the queue at the next intake pass; run it now so the page is current.
  void services.exceptions.intake.runOnce().catch(() => undefined);
  return finished;
}

/** The approve, reject and edit form actions, shared by the incident, transaction and remediations pages. */
export const decisionActions = {
  approve: (event: { request: Request; locals: App.Locals }) =>
    formAction(event, 'approve', async (form, actor) => {
      const done = await approve(await consoleServices(), String(form.get('proposal') ?? ''), actor, String(form.get('note') ?? '').trim() || undefined);
      const ran = done.outcome ? `: ${done.outcome.filter((o) => o.result !== 'failed').length} of ${done.outcome.length} target(s) done` : '';
      return `Proposal ${done.status}${ran}.`;
    }),
  reject: (event: { request: Request; locals: App.Locals }) =>
    formAction(event, 'approve', async (form, actor) => {
      (await consoleServices()).proposals.reject(String(form.get('proposal') ?? ''), actor, String(form.get('note') ?? ''));
      return 'Proposal rejected.';
    }),
  /** Changes a waiting proposal's reason or target warehouse; the editor then may not approve it. */
  edit: (event: { request: Request; locals: App.Locals }) =>
    formAction(event, 'triage', async (form, actor) => {
      (await consoleServices()).proposals.edit(String(form.get('proposal') ?? '').trim(), paramsFrom(form), actor);
      return 'Proposal changed; someone else must approve it.';
    }),
};
