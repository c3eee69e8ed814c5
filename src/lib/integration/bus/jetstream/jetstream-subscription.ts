import type { Consumer, ConsumerMessages } from '@nats-io/jetstream';
import type { Delivery, Subscription } from '../types';
import { JetStreamDelivery } from './jetstream-delivery';

/**
 * Pulls from a durable consumer in fetches sized to the free slots, so the messages this
 * process holds under lease never exceed `maxInFlight` (a `consume()` buffer would hold more,
 * with their ack-wait ticking before any worker saw them).
 */
export class JetStreamSubscription implements Subscription {
  private inFlight = 0;
  private stopped = false;
  private current: ConsumerMessages | undefined;
  private waiter: (() => void) | undefined;

  constructor(
    private readonly consumer: Promise<Consumer>,
    private readonly topicOf: (subject: string) => string,
    private readonly maxInFlight: number,
    private readonly onStop: () => void,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<Delivery> {
    const consumer = await this.consumer;
    while (!this.stopped) {
      const room = this.maxInFlight - this.inFlight;
      if (room <= 0) {
        await new Promise<void>((resolve) => (this.waiter = resolve));
        continue;
      }
      this.current = await consumer.fetch({ max_messages: room, expires: 1_000 });
      for await (const msg of this.current) {
        if (this.stopped) {
          msg.nak();
          continue;
        }
        this.inFlight += 1;
        yield new JetStreamDelivery(msg, this.topicOf(msg.subject), () => {
          this.inFlight -= 1;
          const waiter = this.waiter;
          this.waiter = undefined;
          waiter?.();
        });
      }
      this.current = undefined;
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.current?.stop();
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
    this.onStop();
  }
}
