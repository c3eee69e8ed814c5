import { z } from 'zod';
import type { ExceptionCategory, RemediationAction } from '../integration/taxonomy';

/** Says "required" for a missing key instead of zod's "expected string, received undefined". */
const required = (what: string) => ({ error: (issue: { input: unknown }) => (issue.input === undefined ? 'required' : `must be ${what}`) });

/**
 * One exception to classify, as the runtime reports it. Unknown keys are refused so a typo
 * (`http_code`) is reported instead of silently losing the signal it carried.
 */
export const ExceptionInput = z
  .object({
    id: z.string(required('a string')).min(1, 'must not be empty'),
    source: z.string(required('a string')).min(1, 'must not be empty'),
    operation: z.string(required('a string')).min(1, 'must not be empty'),
    error: z.string(required('a string')).min(1, 'must not be empty'),
    http_status: z.number({ error: 'must be a number' }).int('must be a whole number').min(100, 'must be an HTTP status, 100 to 599').max(599, 'must be an HTTP status, 100 to 599').optional(),
    attempts: z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must not be negative').optional(),
  })
  .strict();
export type ExceptionInput = z.infer<typeof ExceptionInput>;

/** Which engine produced a classification. */
export type Engine = 'offline' | 'llm';

/** What the classifier says about one exception. */
export interface Classification {
  category: ExceptionCategory;
  action: RemediationAction;
  /** 0..1: how sure the engine is; below about 0.5 treat the answer as a hint. */
  confidence: number;
  /** One paragraph for the operator, naming the signals used. */
  rationale: string;
  engine: Engine;
  /** The LLM model name, when the LLM answered. */
  model?: string;
  /** Tokens spent on this exception, over every attempt, when the LLM was asked. */
  usage?: { promptTokens: number; completionTokens: number };
  /** Wall time of `classify`, in ms. */
  latencyMs: number;
  /** Set when the LLM failed (timeout, error, invalid output) and the offline engine answered. */
  fallbackReason?: string;
}

/** An exception with its human-confirmed category and action. */
export interface LabelledExample {
  input: ExceptionInput;
  category: ExceptionCategory;
  action: RemediationAction;
}

/** Where recent human-confirmed examples come from (the console backs it with its database). */
export interface ExampleSource {
  recent(input: ExceptionInput, limit: number): LabelledExample[] | Promise<LabelledExample[]>;
}

export interface Classifier {
  readonly engine: Engine;
  classify(input: ExceptionInput): Promise<Classification>;
  /** An operator's correction/confirmation: the offline engine learns from it. */
  learn(example: LabelledExample): void;
}
