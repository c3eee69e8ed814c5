import { categoryOf, IntegrationError, RateLimitedError } from '../errors';
import type { ExceptionCategory } from '../taxonomy';

/** Exponential backoff with full jitter, and how many failed attempts a message gets. */
export interface RetryPolicy {
  /** Failed attempts after which a message is dead-lettered. @defaultValue per service class */
  maxAttempts: number;
  /** Upper bound of the first retry's delay, in ms; doubles each attempt. */
  baseDelayMs: number;
  /** Cap on any one delay, in ms. */
  maxDelayMs: number;
}

/**
 * The delay before retry number `failures` (1 after the first failure): a uniformly random
 * value in [0, min(maxDelayMs, baseDelayMs * 2^(failures-1))] — "full jitter", which spreads a
 * burst of failures against one partner instead of retrying them in lock-step.
 */
export function nextDelayMs(policy: RetryPolicy, failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1));
  return Math.floor(random() * ceiling);
}

/** What to do with a message whose attempt failed. */
export type RetryDecision =
  | { action: 'retry'; delayMs: number; category: ExceptionCategory }
  | { action: 'dead_letter'; reason: 'permanent' | 'exhausted'; category: ExceptionCategory };

/**
 * Decides from the error's type alone: a typed error says whether its category is retryable;
 * anything untyped is `unknown` and not retried, since blind retries of a bug only delay the
 * dead letter. A partner's `Retry-After` is honoured as a lower bound.
 */
export function decideRetry(
  error: unknown,
  failures: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): RetryDecision {
  const category = categoryOf(error);
  const retryable = error instanceof IntegrationError && error.retryable;
  if (!retryable) return { action: 'dead_letter', reason: 'permanent', category };
  if (failures >= policy.maxAttempts) return { action: 'dead_letter', reason: 'exhausted', category };
  const hinted = error instanceof RateLimitedError ? (error.retryAfterMs ?? 0) : 0;
  return { action: 'retry', delayMs: Math.max(hinted, nextDelayMs(policy, failures, random)), category };
}
