import type { JsMsg } from '@nats-io/jetstream';
import type { EventEnvelope } from '../../canonical/envelope';
import type { Delivery } from '../types';

/** One JetStream message under its ack-wait lease. */
export class JetStreamDelivery implements Delivery {
  readonly id: string;
  readonly envelope: EventEnvelope;
  readonly attempt: number;
  readonly publishedAt: number;
  readonly deliveredAt = Date.now();
  private settled = false;

  constructor(
    private readonly msg: JsMsg,
    readonly topic: string,
    private readonly onSettle: () => void,
  ) {
    this.envelope = msg.json<EventEnvelope>();
    this.id = msg.headers?.get('Nats-Msg-Id') || this.envelope.id;
    this.attempt = msg.info.deliveryCount;
    this.publishedAt = Math.floor(msg.info.timestampNanos / 1e6);
  }

  async ack(): Promise<boolean> {
    try {
      // ackAck waits for the server's confirmation, so "acknowledged" means stored as such.
      return await this.msg.ackAck();
    } finally {
      this.settle();
    }
  }

  async nak(delayMs: number): Promise<void> {
    this.msg.nak(Math.max(0, delayMs));
    this.settle();
  }

  async term(): Promise<void> {
    this.msg.term();
    this.settle();
  }

  async extend(): Promise<boolean> {
    this.msg.working();
    return !this.settled;
  }

  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.onSettle();
  }
}
