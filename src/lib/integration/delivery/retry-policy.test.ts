import { describe, expect, it } from 'vitest';
import { PartnerUnavailableError, RateLimitedError, ValidationError } from '../errors';
import { decideRetry, nextDelayMs } from './retry-policy';

const policy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 5_000 };

describe('retry policy', () => {
  it('doubles the jitter ceiling per failure up to the cap', () => {
    const max = () => 0.999999;
    expect([1, 2, 3, 4, 5].map((n) => nextDelayMs(policy, n, max))).toEqual([999, 1999, 3999, 4999, 4999]);
    expect(nextDelayMs(policy, 3, () => 0)).toBe(0);
  });

  it('spreads delays over the whole window (full jitter)', () => {
    const delays = Array.from({ length: 2_000 }, () => nextDelayMs(policy, 3));
    expect(Math.min(...delays)).toBeLessThan(400);
    expect(Math.max(...delays)).toBeGreaterThan(3_600);
  });

  it('retries a retryable category until the budget is spent', () => {
    const error = new PartnerUnavailableError('connection refused');
    expect(decideRetry(error, 1, policy, () => 0.5)).toEqual({ action: 'retry', delayMs: 500, category: 'partner_unavailable' });
    expect(decideRetry(error, 4, policy)).toEqual({ action: 'dead_letter', reason: 'exhausted', category: 'partner_unavailable' });
  });

  it('dead-letters permanent and untyped errors at once, whatever their text says', () => {
    expect(decideRetry(new ValidationError('timeout field missing'), 1, policy).action).toBe('dead_letter');
    expect(decideRetry(new Error('503 service unavailable, please retry'), 1, policy)).toEqual({
      action: 'dead_letter',
      reason: 'permanent',
      category: 'unknown',
    });
  });

  it("waits at least as long as the partner's Retry-After", () => {
    const decision = decideRetry(new RateLimitedError('slow down', 9_000), 1, policy, () => 0.1);
    expect(decision).toEqual({ action: 'retry', delayMs: 9_000, category: 'rate_limited' });
  });
});
