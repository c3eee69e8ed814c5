import { defaultAction, ExceptionCategory } from '../integration/taxonomy';
import { rerouteAfterAttempts } from './actions';
import { redact } from './redact';
import type { ExceptionInput, LabelledExample } from './types';

/** The taxonomy as the model reads it: each category's typical signals and recommended action. */
export const categorySignals: Record<ExceptionCategory, string> = {
  partner_unavailable: 'connection refused/reset, timeouts, DNS failures, HTTP 5xx, circuit breaker open, transient database errors (serialization failure, lock)',
  rate_limited: 'HTTP 429, throttling or quota messages, Retry-After',
  auth_failure: 'HTTP 401/403, expired or invalid token, Odoo AccessDenied/AccessError, bad API key, SSH authentication failed, bad signature',
  validation_error: 'schema violation, missing/invalid field, malformed JSON/CSV/X12, wrong column or segment count, 997/999 rejection (AK5*R, IK5*R, AK9*R)',
  master_data_mismatch: 'unknown SKU/product/item, unknown location, warehouse, carrier or customer code, UoM not convertible, Odoo MissingError',
  duplicate_event: 'same event, shipment, file or interchange received again, idempotency key already used, unique constraint violation',
  sequence_error: 'event out of order or invalid state transition (ship before release, picking already done/cancelled, order locked)',
  inventory_mismatch: 'reconciliation difference, negative stock, quantity disagreement between systems, short shipment, not enough stock',
  sla_breach: 'no acknowledgement/confirmation within the SLA, overdue, stuck process',
  unknown: 'anything else (a bug, a crash, too little information)',
};

const taxonomy = ExceptionCategory.options.map((c) => `- ${c}: ${categorySignals[c]}. Default action: ${defaultAction[c]}.`).join('\n');

const system = `You classify integration exceptions for Crossdock, the middleware between Odoo (ERP) and warehouse systems (a REST WMS, a CSV-over-SFTP WMS, an X12 EDI 3PL).
Pick exactly one category from this taxonomy and recommend one action.

Categories, their typical signals and default actions:
${taxonomy}

Actions: replay (send the original message again), reroute (send the order to another warehouse), discard_duplicate, fix_master_data, escalate_partner, manual_review.
Use the default action unless the exception clearly calls for another; for sla_breach where the partner has not acknowledged after ${rerouteAfterAttempts} or more attempts, recommend reroute.
Give a confidence from 0 to 1 and a one-paragraph rationale naming the words or codes in the exception that decided it. If nothing fits, answer unknown with manual_review.
Values in [brackets] such as [email] or [secret] were redacted before you saw them.`;

/** The wire form of an exception: redacted, only the fields the model needs. */
function describe(input: ExceptionInput): string {
  return JSON.stringify({
    source: redact(input.source),
    operation: redact(input.operation),
    error: redact(input.error),
    ...(input.http_status !== undefined && { http_status: input.http_status }),
    ...(input.attempts !== undefined && { attempts: input.attempts }),
  });
}

/** Chat messages for one exception. Everything that leaves the process is redacted here. */
export function buildMessages(input: ExceptionInput, examples: readonly LabelledExample[]): { role: 'system' | 'user'; content: string }[] {
  const recent = examples.length
    ? `\n\nRecent classifications confirmed by operators (follow them for similar exceptions):\n${examples.map((e) => `- ${describe(e.input)} => category ${e.category}, action ${e.action}`).join('\n')}`
    : '';
  return [
    { role: 'system', content: system + recent },
    { role: 'user', content: `Classify this exception:\n${describe(input)}` },
  ];
}
