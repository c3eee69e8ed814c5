import type { ServiceClass } from '../../canonical/primitives';
import type { Delivery, Subscription } from '../types';
import type { SqliteBus } from './sqlite-bus';

/**
 * Pulls leased batches for one service class, never holding more than `maxInFlight` unsettled
 * deliveries, so a worker pool's capacity is also the number of leases it holds.
 */
export class SqliteSubscription implements Subscription {
  private inFlight = 0;
  private stopped = false;
  private readonly buffer: Delivery[] = [];
  private waiter: (() => void) | undefined;

  constructor(
    private readonly bus: SqliteBus,
    readonly serviceClass: ServiceClass,
    private readonly maxInFlight: number,
    private readonly onStop: () => void,
  ) {}

  /** Something changed (a publish, a settle, stop): look again now instead of at the next poll. */
  wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Delivery> {
    while (!this.stopped) {
      const next = this.buffer.shift();
      if (next) {
        yield next;
        continue;
      }
      const room = this.maxInFlight - this.inFlight;
      if (room > 0) {
        const leased = this.bus.lease(this.serviceClass, room, () => {
          this.inFlight -= 1;
          this.wake();
        });
        this.inFlight += leased.length;
        if (leased.length > 0) {
          this.buffer.push(...leased);
          continue;
        }
      }
      // The poll timer belongs to this wait only: left running after an earlier wake, it would
      // wake a later wait, start its own timer, and so on: one more perpetual poll per wake-up.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => this.wake(), this.bus.pollMs);
        timer.unref();
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.wake();
    // Fetched but never handed to a worker: give them back at once rather than waiting for the lease.
    await Promise.all(this.buffer.splice(0).map((d) => d.nak(0)));
    this.onStop();
  }
}
