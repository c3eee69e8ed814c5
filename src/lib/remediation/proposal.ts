import { z } from 'zod';
import { RemediationAction } from '../integration/taxonomy';

/** The actions that change something in the runtime; the others are recommendations for people. */
export const EXECUTABLE: ReadonlySet<RemediationAction> = new Set(['replay', 'reroute', 'discard_duplicate']);

export const ProposalStatus = z.enum(['proposed', 'approved', 'rejected', 'expired', 'executing', 'succeeded', 'failed']);
export type ProposalStatus = z.infer<typeof ProposalStatus>;

/** What a proposal acts on: a dead letter (replay, discard) or an order (reroute, recommendations). */
export const Target = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('dead_letter'), deadLetterId: z.string(), correlationId: z.string().nullable() }),
  z.object({ kind: z.literal('order'), correlationId: z.string() }),
]);
export type Target = z.infer<typeof Target>;

export const ProposalParams = z
  .object({
    /** Reroute: the warehouse to move the orders to. */
    warehouseId: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'must be a warehouse id such as edi-3pl').optional(),
    /** Why: the discard reason, the reroute reason, the recommendation for people. */
    reason: z.string().trim().max(2_000).optional(),
  })
  .strict();
export type ProposalParams = z.infer<typeof ProposalParams>;

/** The AI's part in a proposal it suggested, kept with it and in the audit log. */
export const Suggestion = z.object({
  engine: z.enum(['offline', 'llm']),
  model: z.string().optional(),
  category: z.string(),
  action: RemediationAction,
  confidence: z.number(),
  rationale: z.string(),
});
export type Suggestion = z.infer<typeof Suggestion>;

/** One target's result when a proposal ran. */
export interface TargetOutcome {
  target: Target;
  result: 'done' | 'repeated' | 'skipped' | 'failed';
  status?: number;
  message: string;
}

export interface Proposal {
  id: string;
  incidentId: number | null;
  action: RemediationAction;
  executable: boolean;
  params: ProposalParams;
  targets: Target[];
  /** `ai` when a person accepted the classifier's suggestion; `user` when a person proposed it. */
  origin: 'ai' | 'user';
  suggestion: Suggestion | null;
  proposedBy: string;
  /** Everyone who proposed, accepted or edited it: none of them may approve it. */
  participants: string[];
  status: ProposalStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  outcome: TargetOutcome[] | null;
  finishedAt: string | null;
  createdAt: string;
  expiresAt: string;
}
