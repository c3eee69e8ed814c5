import type { WarehouseControl } from './control-clients';

/** How a warehouse works through its day, in demo minutes and the warehouse's own units. */
export interface WorkPolicy {
  /** How often the warehouse looks at its inbox (batch window, EDI translator, REST acknowledgements). @defaultValue 10 */
  processEveryMinutes: number;
  /** How long an acknowledged order waits before it is picked, packed and shipped. @defaultValue 60 */
  fulfilAfterMinutes: number;
  /** Share of shipped orders a customer sends back, 0..1. @defaultValue 0.03 */
  returnShare: number;
  /** How long after shipping a return arrives. @defaultValue 240 */
  returnAfterMinutes: number;
  /** How often the warehouse receives replenishment. @defaultValue 60 */
  receiveEveryMinutes: number;
  /** Items with less than this on hand are replenished. @defaultValue 100 */
  reorderPoint: number;
  /** How much one goods receipt brings in. @defaultValue 250 */
  receiveQuantity: number;
}

export const defaultWorkPolicy: WorkPolicy = {
  processEveryMinutes: 10,
  fulfilAfterMinutes: 60,
  returnShare: 0.03,
  returnAfterMinutes: 240,
  receiveEveryMinutes: 60,
  reorderPoint: 100,
  receiveQuantity: 250,
};

/** What one step did. */
export interface WorkDone {
  fulfilled: string[];
  returned: string[];
  received: string[];
}

/** Whether a customer sends this order back: decided by its name, so a restart decides the same. */
export function comesBack(orderId: string, share: number): boolean {
  let hash = 2166136261;
  for (const char of orderId) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return hash % 10_000 < share * 10_000;
}

/**
 * The work a warehouse needs a nudge for, paced by the demo clock: the simulators advance on
 * their own real-time timers, which a fast demo outruns. Acknowledged orders ship after
 * `fulfilAfterMinutes`, a few shipped orders come back, and items running low are replenished
 * (a goods receipt the warehouse reports like any stock change, so Odoo learns it through the
 * runtime's inventory sync). Memory stays bounded: it keeps only orders waiting to ship and the
 * few that will come back.
 */
export class WarehouseWork {
  #lastProcess = -Infinity;
  #lastReceipt = -Infinity;
  /** Acknowledged orders and when they were first seen acknowledged. */
  readonly #waiting = new Map<string, number>();
  /** Orders that will come back, and when. */
  readonly #returning = new Map<string, number>();
  readonly #returned = new Set<string>();

  constructor(
    readonly warehouse: WarehouseControl,
    readonly policy: WorkPolicy = defaultWorkPolicy,
  ) {}

  async step(elapsed: number): Promise<WorkDone> {
    const done: WorkDone = { fulfilled: [], returned: [], received: [] };
    if (elapsed - this.#lastProcess >= this.policy.processEveryMinutes) {
      this.#lastProcess = elapsed;
      await this.warehouse.process();
    }
    const snapshot = await this.warehouse.snapshot();
    for (const [orderId, stage] of snapshot.orders) {
      if (stage === 'acknowledged') {
        const since = this.#waiting.get(orderId) ?? elapsed;
        this.#waiting.set(orderId, since);
        if (elapsed - since >= this.policy.fulfilAfterMinutes && (await this.#fulfil(orderId))) done.fulfilled.push(orderId);
      } else this.#waiting.delete(orderId);
      if (stage === 'shipped' && !this.#returned.has(orderId) && !this.#returning.has(orderId) && comesBack(orderId, this.policy.returnShare))
        this.#returning.set(orderId, elapsed + this.policy.returnAfterMinutes);
    }
    for (const [orderId, due] of this.#returning)
      if (elapsed >= due) {
        this.#returning.delete(orderId);
        this.#returned.add(orderId);
        const returnId = await this.#giveBack(orderId);
        if (returnId) done.returned.push(`${orderId} (${returnId})`);
      }
    if (elapsed - this.#lastReceipt >= this.policy.receiveEveryMinutes) {
      this.#lastReceipt = elapsed;
      for (const [item, onHand] of snapshot.onHand)
        if (onHand < this.policy.reorderPoint) {
          await this.warehouse.receive(item, this.policy.receiveQuantity);
          done.received.push(item);
        }
    }
    return done;
  }

  /** Undefined when there is nothing to send back (every line shipped short to nothing). */
  async #giveBack(orderId: string): Promise<string | undefined> {
    try {
      return await this.warehouse.giveBack(orderId);
    } catch (error) {
      if ((error as { status?: number }).status === 409) return undefined;
      throw error;
    }
  }

  /** False when the warehouse moved the order on itself in the meantime (its own timer won the race). */
  async #fulfil(orderId: string): Promise<boolean> {
    this.#waiting.delete(orderId);
    try {
      await this.warehouse.fulfil(orderId);
      return true;
    } catch (error) {
      if ((error as { status?: number }).status === 409) return false;
      throw error;
    }
  }
}
