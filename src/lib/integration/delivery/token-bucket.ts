/**
 * A per-endpoint rate limit: `ratePerSecond` calls on average, bursts up to `burst`. A
 * partner's 429 adds a cool-down during which no token is handed out, so that partner alone
 * slows down.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;
  private coolUntil = 0;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.refilledAt = now();
  }

  /** Takes a token; returns 0 when granted, otherwise the ms until one will be available. */
  take(): number {
    const now = this.now();
    if (now < this.coolUntil) return this.coolUntil - now;
    const refill = ((now - this.refilledAt) / 1000) * this.ratePerSecond;
    this.tokens = Math.min(this.burst, this.tokens + (Number.isNaN(refill) ? this.burst : refill));
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
  }

  /** The partner said "slow down" for `ms`. */
  coolDown(ms: number): void {
    this.coolUntil = Math.max(this.coolUntil, this.now() + ms);
    this.tokens = 0;
  }
}
