import { SpanKind } from '@opentelemetry/api';
import type { EventEnvelope } from '../canonical/envelope';
import type { MessageBus } from '../bus/types';
import { Attr } from '../../telemetry/conventions';
import { currentTraceCarrier } from '../../telemetry/propagation';
import { inSpan } from '../../telemetry/spans';
import type { InboundDeduplicator } from './idempotency';
import type { MessageLedger, NewLedgerEntry } from './ledger';
import type { OrderingKeyOf } from './replay';

/** What accepting an inbound message did. */
export type Accepted =
  | { status: 'enqueued'; ledgerId?: string }
  /** Seen within the idempotency window (or already in the ledger with the same payload): nothing enqueued. */
  | { status: 'duplicate'; ledgerId?: string };

/**
 * The front door for messages from partners: de-duplicate by idempotency key, record the raw
 * message in the ledger, then publish to the bus with the producer's trace context.
 */
export class Ingress {
  constructor(
    private readonly bus: MessageBus,
    private readonly dedup: InboundDeduplicator,
    private readonly ledger: MessageLedger,
    private readonly orderingKeyOf: OrderingKeyOf = () => undefined,
  ) {}

  async accept(topic: string, envelope: EventEnvelope, raw?: Omit<NewLedgerEntry, 'direction' | 'correlationId'>): Promise<Accepted> {
    return inSpan(
      `receive ${topic}`,
      {
        'messaging.system': this.bus.system,
        'messaging.operation.type': 'send',
        'messaging.destination.name': topic,
        'messaging.message.id': envelope.id,
        [Attr.correlationId]: envelope.correlationid,
        [Attr.idempotencyKey]: envelope.idempotencykey,
        [Attr.eventType]: envelope.type,
        [Attr.serviceClass]: envelope.serviceclass,
      },
      async (span) => {
        const recorded = raw ? this.ledger.record({ ...raw, direction: 'in', correlationId: envelope.correlationid }) : undefined;
        const ledgerId = recorded?.entry.id;
        const claim = this.dedup.claim(envelope.source, envelope.idempotencykey, envelope.id);
        if (claim.status === 'duplicate' || (recorded?.duplicate && recorded.samePayload)) {
          if (claim.status === 'new') this.dedup.release(envelope.source, envelope.idempotencykey, envelope.id);
          span.setAttribute(Attr.outcome, 'duplicate');
          return { status: 'duplicate', ledgerId };
        }
        try {
          const stamped = envelope.traceparent ? envelope : { ...envelope, ...currentTraceCarrier() };
          await this.bus.publish(topic, stamped, { orderingKey: this.orderingKeyOf(topic, envelope) });
        } catch (error) {
          this.dedup.release(envelope.source, envelope.idempotencykey, envelope.id);
          throw error;
        }
        span.setAttribute(Attr.outcome, 'success');
        return { status: 'enqueued', ledgerId };
      },
      { kind: SpanKind.PRODUCER },
    );
  }
}
