import { z } from 'zod';

/**
 * The exception taxonomy shared by the runtime's typed errors, the classifier, the console and
 * the reports. See the product brief for the signals behind each category.
 */
export const ExceptionCategory = z.enum([
  'partner_unavailable',
  'rate_limited',
  'auth_failure',
  'validation_error',
  'master_data_mismatch',
  'duplicate_event',
  'sequence_error',
  'inventory_mismatch',
  'sla_breach',
  'unknown',
]);
export type ExceptionCategory = z.infer<typeof ExceptionCategory>;

/** What an operator can do about an exception. Only replay, reroute and discard execute anything. */
export const RemediationAction = z.enum([
  'replay',
  'reroute',
  'discard_duplicate',
  'fix_master_data',
  'escalate_partner',
  'manual_review',
]);
export type RemediationAction = z.infer<typeof RemediationAction>;

/** The default recommended action per category. */
export const defaultAction: Record<ExceptionCategory, RemediationAction> = {
  partner_unavailable: 'replay',
  rate_limited: 'replay',
  auth_failure: 'escalate_partner',
  validation_error: 'manual_review',
  master_data_mismatch: 'fix_master_data',
  duplicate_event: 'discard_duplicate',
  sequence_error: 'manual_review',
  inventory_mismatch: 'manual_review',
  sla_breach: 'replay',
  unknown: 'manual_review',
};

/** Categories whose cause may go away by itself, so a retry can succeed. */
export const retryableCategories: ReadonlySet<ExceptionCategory> = new Set([
  'partner_unavailable',
  'rate_limited',
]);
