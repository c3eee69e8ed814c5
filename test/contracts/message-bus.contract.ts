import { afterEach, describe, expect, it } from 'vitest';
import type { Delivery, MessageBus, Subscription } from '../../src/lib/integration/bus';
import { anEnvelope } from '../factories/envelopes';

/** What an adapter's test hands the contract: a way to make a fresh, empty bus. */
export interface MessageBusFixture {
  bus: MessageBus;
  /** Closes nothing; opens a second bus over the same durable storage (another process, or a restart). */
  reopen(): Promise<MessageBus>;
  /** Removes the storage (temp dir, streams). */
  cleanup(): Promise<void>;
}

export interface MessageBusContractOptions {
  /** A new bus with its own storage, whose leases last `leaseMs`. */
  create(options: { leaseMs: number }): Promise<MessageBusFixture>;
}

/**
 * Reads deliveries with a timeout. A timed-out read stays pending and is reused by the next
 * read, so no delivery is swallowed by an abandoned `iterator.next()`.
 */
class Reader {
  private pending: Promise<Delivery | undefined> | undefined;
  constructor(private readonly iterator: AsyncIterator<Delivery>) {}

  async next(waitMs = 5_000): Promise<Delivery | undefined> {
    this.pending ??= this.iterator.next().then((r) => (r.done ? undefined : r.value));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), waitMs)));
    const result = await Promise.race([this.pending, timeout]);
    clearTimeout(timer);
    if (result === 'timeout') return undefined;
    this.pending = undefined;
    return result;
  }
}

const next = (reader: Reader, waitMs?: number) => reader.next(waitMs);

/**
 * The one contract every `MessageBus` adapter passes: at-least-once delivery under leases,
 * redelivery after a lost worker, retries with delay, publish de-duplication, service-class
 * isolation and durability across a restart.
 */
export function runMessageBusContract(options: MessageBusContractOptions): void {
  const open: MessageBusFixture[] = [];
  const extra: MessageBus[] = [];
  const subscriptions: Subscription[] = [];

  async function fresh(leaseMs = 2_000) {
    const fixture = await options.create({ leaseMs });
    open.push(fixture);
    return fixture;
  }
  function consume(bus: MessageBus, serviceClass: 'realtime' | 'standard' | 'batch', maxInFlight = 10) {
    const subscription = bus.subscribe(serviceClass, { maxInFlight });
    subscriptions.push(subscription);
    return new Reader(subscription[Symbol.asyncIterator]());
  }

  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
    await Promise.all(extra.splice(0).map((b) => b.close()));
    for (const fixture of open.splice(0)) {
      await fixture.bus.close();
      await fixture.cleanup();
    }
  });

  describe('MessageBus contract', () => {
    it('delivers a published envelope intact once, and an ack removes it', async () => {
      const { bus } = await fresh();
      const envelope = anEnvelope({ serviceclass: 'standard', data: { orderId: 'S00042', lines: [1, 2] } });
      expect(await bus.publish('order-release', envelope)).toEqual({ duplicate: false });
      const it = consume(bus, 'standard');
      const delivery = await next(it);
      expect(delivery?.envelope).toEqual(envelope);
      expect(delivery?.topic).toBe('order-release');
      expect(delivery?.id).toBe(envelope.id);
      expect(delivery?.attempt).toBe(1);
      expect(await delivery!.ack()).toBe(true);
      expect(await next(it, 800)).toBeUndefined();
      expect((await bus.stats()).find((s) => s.serviceClass === 'standard')?.depth).toBe(0);
    });

    it('stores a re-published envelope id once', async () => {
      const { bus } = await fresh();
      const envelope = anEnvelope();
      await bus.publish('order-release', envelope);
      expect(await bus.publish('order-release', envelope)).toEqual({ duplicate: true });
      const it = consume(bus, 'standard');
      await (await next(it))!.ack();
      expect(await next(it, 800)).toBeUndefined();
    });

    it('keeps service classes apart and reports depth and age per class', async () => {
      const { bus } = await fresh();
      await bus.publish('inventory-snapshot', anEnvelope({ serviceclass: 'batch' }));
      await bus.publish('inventory-snapshot', anEnvelope({ serviceclass: 'batch' }));
      await bus.publish('order-release', anEnvelope({ serviceclass: 'realtime' }));
      await new Promise((r) => setTimeout(r, 30));
      const stats = Object.fromEntries((await bus.stats()).map((s) => [s.serviceClass, s]));
      expect(stats.batch.depth).toBe(2);
      expect(stats.realtime.depth).toBe(1);
      expect(stats.standard).toEqual({ serviceClass: 'standard', depth: 0, oldestAgeMs: 0 });
      expect(stats.batch.oldestAgeMs).toBeGreaterThan(0);
      const realtime = consume(bus, 'realtime');
      const first = await next(realtime);
      expect(first?.envelope.serviceclass).toBe('realtime');
      await first!.ack();
      expect(await next(realtime, 800)).toBeUndefined();
    });

    it('redelivers a nak after its delay with the next attempt number', async () => {
      const { bus } = await fresh();
      await bus.publish('order-release', anEnvelope());
      const it = consume(bus, 'standard');
      const first = await next(it);
      await first!.nak(1_500);
      expect(await next(it, 500)).toBeUndefined();
      const again = await next(it, 5_000);
      expect(again?.id).toBe(first?.id);
      expect(again?.attempt).toBe(2);
      await again!.ack();
    });

    it('redelivers to another worker when a lease expires without a heartbeat', async () => {
      const { bus, reopen } = await fresh(1_000);
      await bus.publish('order-release', anEnvelope());
      const crashed = await next(consume(bus, 'standard'));
      expect(crashed?.attempt).toBe(1);
      const other = await reopen();
      extra.push(other);
      const redelivered = await next(consume(other, 'standard'), 8_000);
      expect(redelivered?.id).toBe(crashed?.id);
      expect(redelivered?.attempt).toBe(2);
      expect(await redelivered!.ack()).toBe(true);
    });

    it('does not redeliver while the holder keeps extending its lease', async () => {
      const { bus, reopen } = await fresh(1_000);
      await bus.publish('order-release', anEnvelope());
      const held = await next(consume(bus, 'standard'));
      const other = await reopen();
      extra.push(other);
      const competitor = consume(other, 'standard');
      const beat = setInterval(() => void held!.extend(), 250);
      try {
        expect(await next(competitor, 2_500)).toBeUndefined();
        expect(await held!.extend()).toBe(true);
      } finally {
        clearInterval(beat);
      }
      expect(await held!.ack()).toBe(true);
      expect(await next(competitor, 1_500)).toBeUndefined();
    });

    it('never redelivers a terminated message', async () => {
      const { bus } = await fresh(1_000);
      await bus.publish('order-release', anEnvelope());
      const it = consume(bus, 'standard');
      await (await next(it))!.term();
      expect(await next(it, 1_800)).toBeUndefined();
    });

    it('holds no more unsettled deliveries than maxInFlight', async () => {
      const { bus } = await fresh();
      for (let i = 0; i < 4; i++) await bus.publish('order-release', anEnvelope());
      const it = consume(bus, 'standard', 2);
      const a = await next(it);
      const b = await next(it);
      expect(a && b).toBeTruthy();
      expect(await next(it, 700)).toBeUndefined();
      await a!.ack();
      expect(await next(it)).toBeDefined();
    });

    it('keeps published messages across a restart, and redelivers ones leased by the dead process', async () => {
      const { bus, reopen } = await fresh(1_000);
      const leased = anEnvelope();
      const waiting = anEnvelope();
      await bus.publish('order-release', leased);
      expect((await next(consume(bus, 'standard'), 5_000))?.id).toBe(leased.id);
      await bus.publish('order-release', waiting);
      await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
      const restarted = await reopen();
      extra.push(restarted);
      const it = consume(restarted, 'standard');
      const seen = new Set<string>();
      for (let i = 0; i < 2; i++) {
        const d = await next(it, 8_000);
        if (d) {
          seen.add(d.id);
          await d.ack();
        }
      }
      expect(seen).toEqual(new Set([leased.id, waiting.id]));
    });

    it('fences the late ack of a worker whose lease was taken over (if the adapter fences)', async (ctx) => {
      const { bus, reopen } = await fresh(800);
      if (!bus.capabilities.fencedAck) return ctx.skip();
      await bus.publish('order-release', anEnvelope());
      const stale = await next(consume(bus, 'standard'));
      const other = await reopen();
      extra.push(other);
      const current = await next(consume(other, 'standard'), 8_000);
      expect(current?.attempt).toBe(2);
      expect(await stale!.ack()).toBe(false);
      expect(await current!.ack()).toBe(true);
    });

    it('hands out messages of one ordering key one at a time, in order (if the adapter orders)', async (ctx) => {
      const { bus } = await fresh();
      if (!bus.capabilities.orderingKeys) return ctx.skip();
      const first = anEnvelope({ correlationid: 'S1' });
      const second = anEnvelope({ correlationid: 'S1' });
      const other = anEnvelope({ correlationid: 'S2' });
      await bus.publish('order-events', first, { orderingKey: 'S1' });
      await bus.publish('order-events', second, { orderingKey: 'S1' });
      await bus.publish('order-events', other, { orderingKey: 'S2' });
      const it = consume(bus, 'standard');
      const a = await next(it);
      const b = await next(it);
      expect([a?.id, b?.id]).toEqual([first.id, other.id]);
      await a!.nak(0);
      const retry = await next(it);
      expect(retry?.id).toBe(first.id);
      await retry!.ack();
      expect((await next(it))?.id).toBe(second.id);
    });
  });
}
