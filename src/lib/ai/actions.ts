import { defaultAction, type ExceptionCategory, type RemediationAction } from '../integration/taxonomy';
import type { ExceptionInput } from './types';

/** Re-sends after which a warehouse that still has not acknowledged is better replaced than retried. */
export const rerouteAfterAttempts = 3;

/**
 * The recommended action and the reason in words: the taxonomy's default, with one exception.
 * A missed acknowledgement SLA whose message was already re-sent several times suggests
 * rerouting the order to another warehouse: replaying to the same partner has stopped helping.
 * Other SLAs (a shipment not yet confirmed in Odoo) are about our side, where another warehouse
 * cannot help; and a partner that is down stays `replay` however many attempts, because the
 * runtime's circuit breaker paces those.
 */
export function recommendAction(category: ExceptionCategory, input: Pick<ExceptionInput, 'attempts' | 'error'>): { action: RemediationAction; why: string } {
  if (category === 'sla_breach' && (input.attempts ?? 0) >= rerouteAfterAttempts && /acknowledg|\back\b|997|resen[dt]|re-sen[dt]/i.test(input.error))
    return { action: 'reroute', why: `the partner has not acknowledged after ${input.attempts} attempts, so another warehouse is the better bet` };
  return { action: defaultAction[category], why: `the default for ${category}` };
}
