import { SpanStatusCode } from '@opentelemetry/api';
import {
  BrokenCircuitError,
  bulkhead,
  BulkheadRejectedError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleWhen,
  IsolatedCircuitError,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
  type IPolicy,
} from 'cockatiel';
import { IntegrationError, PartnerUnavailableError, RateLimitedError } from '../errors';
import { Attr } from '../../telemetry/conventions';
import { tracer } from '../../telemetry/spans';
import { DeliveryDeferred } from './deferral';
import { TokenBucket } from './token-bucket';

/** Limits for calls to one partner endpoint. */
export interface EndpointPolicy {
  /** A call taking longer is abandoned (its AbortSignal fires) and counts as a failure, in ms. @defaultValue 10000 */
  timeoutMs?: number;
  /** Calls to this endpoint at once, across all service classes. @defaultValue 8 */
  maxConcurrent?: number;
  /** Calls waiting for a slot before further ones are deferred. @defaultValue 32 */
  maxQueued?: number;
  /** Average calls per second; unset = no limit. */
  ratePerSecond?: number;
  /** Burst above the rate. @defaultValue ratePerSecond */
  burst?: number;
  /** Consecutive partner failures that open the circuit. @defaultValue 5 */
  breakAfterFailures?: number;
  /** How long the circuit stays open before a half-open probe, in ms. @defaultValue 15000 */
  halfOpenAfterMs?: number;
  /** Cool-down after a 429 without Retry-After, in ms. @defaultValue 1000 */
  defaultRetryAfterMs?: number;
}

const stateName: Record<CircuitState, string> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'isolated',
};

/**
 * Every call to one partner goes through its guard: pause switch, rate limit (with 429
 * cool-down), bulkhead, circuit breaker (half-open probing) and timeout. Only this partner is
 * slowed or cut off; other endpoints' guards are independent. When the guard refuses a call
 * it throws `DeliveryDeferred`, which reschedules the message without spending its retries.
 */
export class EndpointGuard {
  private pausedFlag = false;
  private readonly bucket: TokenBucket;
  private readonly policy: IPolicy;
  private readonly breaker;
  private readonly halfOpenAfterMs: number;
  private readonly defaultRetryAfterMs: number;

  constructor(
    readonly id: string,
    options: EndpointPolicy = {},
  ) {
    this.halfOpenAfterMs = options.halfOpenAfterMs ?? 15_000;
    this.defaultRetryAfterMs = options.defaultRetryAfterMs ?? 1_000;
    // Without a configured rate the bucket never runs dry; it still carries the 429 cool-down.
    this.bucket = options.ratePerSecond
      ? new TokenBucket(options.ratePerSecond, options.burst ?? options.ratePerSecond)
      : new TokenBucket(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
    // Only the partner's own trouble trips the breaker: our validation errors say nothing about its health.
    const partnerTrouble = handleWhen(
      (error) =>
        !(error instanceof DeliveryDeferred) &&
        (!(error instanceof IntegrationError) || error.category === 'partner_unavailable'),
    );
    this.breaker = circuitBreaker(partnerTrouble, {
      halfOpenAfter: this.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(options.breakAfterFailures ?? 5),
    });
    this.breaker.onStateChange((state) => this.emitState(state));
    this.policy = wrap(
      bulkhead(options.maxConcurrent ?? 8, options.maxQueued ?? 32),
      this.breaker,
      timeout(options.timeoutMs ?? 10_000, TimeoutStrategy.Aggressive),
    );
  }

  /** `closed`, `open`, `half_open`, or `isolated`. */
  get circuit(): string {
    return stateName[this.breaker.state];
  }

  get paused(): boolean {
    return this.pausedFlag;
  }

  /** Stops calls to this endpoint until `resume`; waiting messages are deferred, not failed. */
  pause(): void {
    this.pausedFlag = true;
  }

  resume(): void {
    this.pausedFlag = false;
  }

  /** Calls the partner through every protection. `work` should honour `signal` (the timeout). */
  async call<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.pausedFlag) throw new DeliveryDeferred(this.id, 'paused', 5_000);
    try {
      // Admission is checked inside the bulkhead, right before the call, so calls that queued
      // while the partner answered 429 are held back too.
      return await this.policy.execute(async ({ signal }) => {
        const wait = this.bucket.take();
        if (wait > 0) throw new DeliveryDeferred(this.id, 'throttled', wait);
        try {
          return await work(signal);
        } catch (error) {
          // Before the bulkhead frees the slot, so the next queued call already sees the cool-down.
          if (error instanceof RateLimitedError) this.bucket.coolDown(error.retryAfterMs ?? this.defaultRetryAfterMs);
          throw error;
        }
      });
    } catch (error) {
      if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError)
        throw new DeliveryDeferred(this.id, 'circuit_open', this.halfOpenAfterMs);
      if (error instanceof BulkheadRejectedError) throw new DeliveryDeferred(this.id, 'bulkhead_full', 250);
      if (error instanceof TaskCancelledError)
        throw new PartnerUnavailableError(`endpoint ${this.id} timed out`, { endpointId: this.id }, { cause: error });
      throw error;
    }
  }

  // A span per transition, so the console sees when a partner was cut off and when it came back.
  private emitState(state: CircuitState): void {
    const span = tracer().startSpan(`circuit ${this.id}`, {
      attributes: { [Attr.endpointId]: this.id, 'crossdock.circuit.state': stateName[state] },
    });
    span.addEvent('circuit.state_change', { 'crossdock.circuit.state': stateName[state] });
    if (state === CircuitState.Open) span.setStatus({ code: SpanStatusCode.ERROR, message: `circuit to ${this.id} opened` });
    span.end();
  }
}
