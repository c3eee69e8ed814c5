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
    } catch {
      // No confirmation (the server is restarting, the connection is down): the message may come
      // back after its ack wait, as after a lost lease, and its effect is repeated idempotently.
      return false;
    } finally {
      this.settle();
    }
  }

  // nak, term and working are fire-and-forget; on a closed connection they throw, and the
  // server then redelivers after the ack wait, which is what a lost nak or term amounts to.
  async nak(delayMs: number): Promise<void> {
    this.quietly(() => this.msg.nak(Math.max(0, delayMs)));
    this.settle();
  }

  async term(): Promise<void> {
    this.quietly(() => this.msg.term());
    this.settle();
  }

  async extend(): Promise<boolean> {
    this.quietly(() => this.msg.working());
    return !this.settled;
  }

  private quietly(send: () => void): void {
    try {
      send();
    } catch {
      // see above
    }
  }

  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.onSettle();
  }
}
