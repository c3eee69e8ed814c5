import type { ExceptionCategory } from './taxonomy';
import { retryableCategories } from './taxonomy';

/**
 * The root of the runtime's typed errors. The category comes from the exception taxonomy, and
 * retry decisions, dead-letter reasons and the classifier all read it from here, never from the
 * message text.
 */
export abstract class IntegrationError extends Error {
  abstract readonly category: ExceptionCategory;

  constructor(
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  /** Whether trying again later can succeed. */
  get retryable(): boolean {
    return retryableCategories.has(this.category);
  }
}

/** Input does not match a schema: a missing or invalid field, malformed JSON, CSV or X12. */
export class ValidationError extends IntegrationError {
  readonly category = 'validation_error' as const;
}

/** Data refers to something the other side does not know: an unknown SKU, location or UoM. */
export class MasterDataError extends IntegrationError {
  readonly category = 'master_data_mismatch' as const;
}

/** A partner cannot be reached or failed on its side: refused, reset, timed out, 5xx, circuit open. */
export class PartnerUnavailableError extends IntegrationError {
  readonly category = 'partner_unavailable' as const;
}

/** A partner asked us to slow down (HTTP 429). `retryAfterMs` is its hint, when it gave one. */
export class RateLimitedError extends IntegrationError {
  readonly category = 'rate_limited' as const;
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    details?: Record<string, unknown>,
    options?: ErrorOptions,
  ) {
    super(message, details, options);
  }
}

/** A partner refused our credentials. */
export class AuthFailureError extends IntegrationError {
  readonly category = 'auth_failure' as const;
}

/** The same event arrived again or an idempotency key was already used. */
export class DuplicateEventError extends IntegrationError {
  readonly category = 'duplicate_event' as const;
}

/** An event arrived out of order or asks for an invalid state transition. */
export class SequenceError extends IntegrationError {
  readonly category = 'sequence_error' as const;
}

/** Two systems disagree about stock. */
export class InventoryMismatchError extends IntegrationError {
  readonly category = 'inventory_mismatch' as const;
}

/** The category of any thrown value: a typed error's own, or `unknown`. */
export function categoryOf(error: unknown): ExceptionCategory {
  return error instanceof IntegrationError ? error.category : 'unknown';
}
