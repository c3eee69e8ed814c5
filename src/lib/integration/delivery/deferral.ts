import { PartnerUnavailableError } from '../errors';

/** Why a delivery was put off without trying the partner. */
export type DeferralReason = 'paused' | 'circuit_open' | 'throttled' | 'bulkhead_full';

/**
 * A delivery put off because of the endpoint's state, not a failure of this message. It is
 * redelivered after `delayMs` without spending the message's retry budget, so pausing an
 * endpoint for an hour does not dead-letter its backlog.
 */
export class DeliveryDeferred extends PartnerUnavailableError {
  constructor(
    readonly endpointId: string,
    readonly reason: DeferralReason,
    readonly delayMs: number,
  ) {
    super(`endpoint ${endpointId} is ${reason.replace('_', ' ')}; retrying in ${delayMs} ms`, { endpointId, reason });
  }
}
