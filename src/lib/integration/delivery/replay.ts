import { SpanKind } from '@opentelemetry/api';
import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '../canonical/envelope';
import type { MessageBus } from '../bus/types';
import { ValidationError } from '../errors';
import { Attr } from '../../telemetry/conventions';
import { currentTraceCarrier, linkFrom } from '../../telemetry/propagation';
import { inSpan } from '../../telemetry/spans';
import type { DeadLetterAction, DeadLetterFilter, DeadLetterStore } from './dead-letter-store';

/** The result of a replay or discard request. */
export type RemediationResult =
  | { outcome: 'done'; action: DeadLetterAction }
  /** The same Idempotency-Key was used before for this very request: nothing was done again. */
  | { outcome: 'repeated'; action: DeadLetterAction }
  | { outcome: 'not_found' }
  | { outcome: 'not_open'; status: string }
  /** The Idempotency-Key was already used for a different dead letter or action. */
  | { outcome: 'key_conflict'; action: DeadLetterAction };

/** Who asks, and the key that makes asking twice harmless. */
export interface RemediationRequest {
  actor: string;
  idempotencyKey?: string;
}

/** The ordering key a topic's messages are published with (see the runtime's routes). */
export type OrderingKeyOf = (topic: string, envelope: EventEnvelope) => string | undefined;

/**
 * Replay and discard of dead letters, both recorded. Replay re-publishes the **original**
 * envelope with a new id and causation id, the same correlation id and idempotency key (so a
 * partner that did receive the first attempt treats it as a repeat), and a span link to the
 * attempt that failed.
 */
export class DeadLetterRemediation {
  constructor(
    private readonly store: DeadLetterStore,
    private readonly bus: MessageBus,
    private readonly orderingKeyOf: OrderingKeyOf = () => undefined,
  ) {}

  async replay(deadLetterId: string, request: RemediationRequest): Promise<RemediationResult> {
    const early = this.precheck(deadLetterId, 'replay', request.idempotencyKey);
    if (early) return early;
    const deadLetter = this.store.get(deadLetterId);
    if (!deadLetter) return { outcome: 'not_found' };
    const actionId = randomUUID();
    return inSpan(
      `replay ${deadLetter.topic}`,
      {
        [Attr.correlationId]: deadLetter.correlationId,
        [Attr.eventType]: deadLetter.eventType,
        [Attr.serviceClass]: deadLetter.serviceClass,
        'messaging.system': this.bus.system,
        'messaging.operation.type': 'send',
        'messaging.destination.name': deadLetter.topic,
        'crossdock.dead_letter.id': deadLetter.id,
      },
      async (span) => {
        const carrier = currentTraceCarrier();
        // Derived from the dead letter, so a retry after a crash between publish and record is de-duplicated by the bus.
        const replayId = `replay-${deadLetter.id}`;
        const envelope: EventEnvelope = {
          ...deadLetter.envelope,
          id: replayId,
          causationid: actionId,
          traceparent: carrier.traceparent,
          tracestate: carrier.tracestate,
        };
        span.setAttribute('messaging.message.id', replayId);
        await this.bus.publish(deadLetter.topic, envelope, { orderingKey: this.orderingKeyOf(deadLetter.topic, envelope) });
        const action = this.store.resolve(deadLetterId, {
          id: actionId,
          action: 'replay',
          reason: null,
          actor: request.actor,
          idempotencyKey: request.idempotencyKey ?? null,
          replayMessageId: replayId,
        });
        return action ? { outcome: 'done', action } : this.raced(deadLetterId);
      },
      { kind: SpanKind.PRODUCER, links: linkFrom({ traceparent: deadLetter.traceparent ?? undefined, tracestate: deadLetter.tracestate ?? undefined }) },
    );
  }

  /** Replays every open dead letter matching `filter`; each gets its own derived Idempotency-Key. */
  async replayMatching(filter: DeadLetterFilter, request: RemediationRequest): Promise<Array<{ id: string } & RemediationResult>> {
    const results: Array<{ id: string } & RemediationResult> = [];
    for (const deadLetter of this.store.list({ ...filter, status: 'open' })) {
      const idempotencyKey = request.idempotencyKey ? `${request.idempotencyKey}:${deadLetter.id}` : undefined;
      results.push({ id: deadLetter.id, ...(await this.replay(deadLetter.id, { ...request, idempotencyKey })) });
    }
    return results;
  }

  /** Closes a dead letter without replaying it; `reason` is required so the audit says why. */
  async discard(deadLetterId: string, request: RemediationRequest & { reason: string }): Promise<RemediationResult> {
    if (!request.reason.trim()) throw new ValidationError('a discard needs a reason');
    const early = this.precheck(deadLetterId, 'discard', request.idempotencyKey);
    if (early) return early;
    const action = this.store.resolve(deadLetterId, {
      id: randomUUID(),
      action: 'discard',
      reason: request.reason,
      actor: request.actor,
      idempotencyKey: request.idempotencyKey ?? null,
      replayMessageId: null,
    });
    return action ? { outcome: 'done', action } : this.raced(deadLetterId);
  }

  private precheck(deadLetterId: string, kind: 'replay' | 'discard', key: string | undefined): RemediationResult | undefined {
    if (key) {
      const previous = this.store.actionByKey(key);
      if (previous)
        return previous.deadLetterId === deadLetterId && previous.action === kind
          ? { outcome: 'repeated', action: previous }
          : { outcome: 'key_conflict', action: previous };
    }
    return this.closed(deadLetterId);
  }

  /** Why a dead letter cannot be acted on (missing or closed), or undefined when it is open. */
  private closed(deadLetterId: string): RemediationResult | undefined {
    const deadLetter = this.store.get(deadLetterId);
    if (!deadLetter) return { outcome: 'not_found' };
    if (deadLetter.status !== 'open') return { outcome: 'not_open', status: deadLetter.status };
    return undefined;
  }

  // Someone else closed it between our check and our update.
  private raced(deadLetterId: string): RemediationResult {
    return this.closed(deadLetterId) ?? { outcome: 'not_open', status: 'open' };
  }
}
