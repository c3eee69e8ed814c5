import type { ServiceClass } from '../canonical/primitives';
import type { RetryPolicy } from './retry-policy';

/**
 * What a service class gets: its own worker pool (so a batch flood cannot occupy the workers a
 * real-time order needs), its own retry budget, and its own consumer on the bus.
 */
export interface ServiceClassPolicy {
  /** Handlers of this class running at once in one process. */
  concurrency: number;
  retry: RetryPolicy;
}

/**
 * Defaults sized for a distributor on a small machine: real-time work retries fast and often
 * (its SLA is minutes), batch work retries rarely with long waits (its window is hours).
 */
export const defaultServiceClasses: Readonly<Record<ServiceClass, ServiceClassPolicy>> = {
  realtime: { concurrency: 16, retry: { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 30_000 } },
  standard: { concurrency: 8, retry: { maxAttempts: 10, baseDelayMs: 2_000, maxDelayMs: 300_000 } },
  batch: { concurrency: 4, retry: { maxAttempts: 5, baseDelayMs: 30_000, maxDelayMs: 1_800_000 } },
};

/** Service classes from the most to the least urgent. */
export const serviceClassesByPriority: readonly ServiceClass[] = ['realtime', 'standard', 'batch'];
