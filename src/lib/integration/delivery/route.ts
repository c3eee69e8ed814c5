import type { EventEnvelope } from '../canonical/envelope';
import type { EndpointGuard } from './endpoint-guard';

/** What a handler gets besides the envelope. */
export interface HandlerContext {
  /** 1 for the first delivery. */
  attempt: number;
  /** Fires when the lease is lost or the runtime shuts down: stop and let the message be redelivered. */
  signal: AbortSignal;
  /**
   * The key to send to the partner (HTTP `Idempotency-Key`, X12 control number, order
   * reference), the same on every redelivery and replay, so a repeat has no second effect.
   */
  idempotencyKey: string;
  /** The guard for a declared partner endpoint: every partner call goes through one. */
  endpoint(id: string): EndpointGuard;
}

/**
 * A route: what handles the messages on one bus topic. Handlers must be idempotent (the bus is
 * at-least-once) and throw typed errors so the retry decision is right.
 */
export interface Route {
  topic: string;
  handle(envelope: EventEnvelope, context: HandlerContext): Promise<void>;
  /**
   * Messages of one correlation id (one order) are handled one at a time in publish order.
   * Needed where a later event is only valid after an earlier one (order released → shipped).
   * Honoured by the embedded bus; see docs/runtime.md for JetStream.
   */
  orderedByCorrelation?: boolean;
}
