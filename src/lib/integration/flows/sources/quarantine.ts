import { createHash } from 'node:crypto';
import { eventTypes, events } from '../../canonical';
import type { DeadLetterStore } from '../../delivery';
import { categoryOf } from '../../errors';
import { Attr } from '../../../telemetry/conventions';
import { recordExceptionSpan } from '../../../telemetry/spans';
import { topics } from '../topics';

/** An inbound message that could not be read, with why. */
export interface Unreadable {
  partner: string;
  externalId: string;
  error: Error;
  rawPayload: string;
  /** The business key, when the message names one (an order id). */
  correlationId?: string;
}

/**
 * Keeps an unreadable inbound message as a dead letter (raw payload, error, category), so an
 * operator sees it in the console and nothing accepted is lost. The same message with the same
 * error is kept once, however often a poll meets it again.
 */
export function quarantine(deadLetters: DeadLetterStore, source: string, message: Unreadable): void {
  const category = categoryOf(message.error);
  const digest = createHash('sha256').update(`${message.partner}\n${message.externalId}\n${message.error.message}\n${message.rawPayload}`).digest('hex').slice(0, 32);
  const messageId = `rejected-${digest}`;
  if (deadLetters.hasMessage(messageId)) return;
  recordExceptionSpan(
    `quarantine ${message.partner}`,
    { [Attr.correlationId]: message.correlationId ?? `${message.partner}:${message.externalId}`, [Attr.endpointId]: message.partner, 'crossdock.message.external_id': message.externalId },
    message.error,
  );
  const envelope = events.create(eventTypes.messageRejected, {
    id: messageId,
    data: { partner: message.partner, externalId: message.externalId.slice(0, 512), category, error: message.error.message.slice(0, 4000), rawPayload: message.rawPayload.slice(0, 1_048_576) },
    source,
    correlationId: (message.correlationId ?? `${message.partner}:${message.externalId}`).slice(0, 128).replace(/[^\x21-\x7E]/g, '_'),
    idempotencyKey: messageId,
    serviceClass: 'standard',
  });
  deadLetters.add({
    messageId,
    topic: topics.rejected,
    envelope,
    attempts: [{ attempt: 1, category, message: message.error.message, at: new Date().toISOString() }],
    category,
    reason: 'permanent',
  });
}
