import { z } from 'zod';

/**
 * Where a business transaction stands:
 * - `on_track`: every open step is within 80% of its target;
 * - `at_risk`: an open step has used at least 80% of its target;
 * - `breached`: an open step is past its target (stuck);
 * - `completed` / `completed_late`: the final milestone was reached, with every step on time or not;
 * - `failed`: a message of it was dead-lettered and it did not complete.
 */
export const TransactionState = z.enum(['on_track', 'at_risk', 'breached', 'completed', 'completed_late', 'failed']);
export type TransactionState = z.infer<typeof TransactionState>;
