import { z } from 'zod';
import { ExceptionCategory, RemediationAction } from '../integration/taxonomy';

/**
 * The LLM's answer. Sent as a strict JSON schema (structured output) and parsed with zod, so
 * nothing the model says is used before it is validated.
 */
export const LlmAnswer = z.object({
  category: ExceptionCategory,
  action: RemediationAction,
  confidence: z.number().min(0).max(1),
  rationale: z.string().min(1).max(2000),
});
export type LlmAnswer = z.infer<typeof LlmAnswer>;
