import { z } from 'zod';

/** A simulator answered with an error status, or not at all. */
export class SimulatorUnavailable extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SimulatorUnavailable';
  }
}

/** JSON over HTTP to a simulator's control plane, with a timeout: a hung simulator must not stall the day. */
async function call(url: string, body?: unknown, timeoutMs = 10_000): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new SimulatorUnavailable(`${url}: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) throw new SimulatorUnavailable(`${url} answered ${response.status}: ${text.slice(0, 200)}`, response.status);
  return text ? JSON.parse(text) : {};
}

/** The Odoo simulator's control plane: released orders made by its own generator. */
export class OdooControl {
  constructor(readonly url: string) {}

  /** Creates `count` released orders the way the simulator's generator does (regional warehouse, random lines). */
  async createOrders(count: number): Promise<string[]> {
    return z.object({ orders: z.array(z.string()) }).parse(await call(`${this.url}/_sim/orders`, { count })).orders;
  }
}

export const Dialect = z.enum(['wms-rest', 'wms-batch', 'edi-3pl']);
export type Dialect = z.infer<typeof Dialect>;

/** Where an order stands, in words common to every dialect. */
export type OrderStage = 'received' | 'acknowledged' | 'in_progress' | 'shipped' | 'cancelled' | 'other';

/** Each dialect's own status words, as its `/_sim/state` reports them. */
const stages: Record<Dialect, Record<string, OrderStage>> = {
  'wms-rest': { Received: 'received', Processing: 'acknowledged', Picked: 'in_progress', Packed: 'in_progress', Completed: 'shipped', Cancelled: 'cancelled' },
  'wms-batch': { '05': 'received', '10': 'acknowledged', '30': 'in_progress', '40': 'in_progress', '90': 'shipped', '91': 'shipped', '99': 'cancelled' },
  'edi-3pl': { accepted: 'acknowledged', shipped: 'shipped', cancelled: 'cancelled' },
};

const StateOrders = z.record(z.string(), z.object({ status: z.string() }));
/** `/_sim/state` of a dialect whose stock items count on hand under `field`; only what the generator reads. */
const stateWith = (field: 'on_hand' | 'onHand') =>
  z.object({ orders: StateOrders, stock: z.record(z.string(), z.object({ [field]: z.number() })) }).transform((s) => ({
    orders: s.orders,
    onHand: Object.entries(s.stock).map(([item, counts]) => [item, counts[field] as number] as const),
  }));
const states: Record<Dialect, ReturnType<typeof stateWith>> = { 'wms-rest': stateWith('on_hand'), 'wms-batch': stateWith('onHand'), 'edi-3pl': stateWith('onHand') };

/** What a warehouse simulator holds right now, in dialect-neutral terms. */
export interface WarehouseSnapshot {
  orders: Map<string, OrderStage>;
  /** On hand per warehouse item code, in the warehouse's unit for it. */
  onHand: Map<string, number>;
}

/** One warehouse simulator's control plane (`/_sim/*`), the same levers for every dialect. */
export class WarehouseControl {
  constructor(
    readonly id: string,
    readonly dialect: Dialect,
    readonly url: string,
  ) {}

  async snapshot(): Promise<WarehouseSnapshot> {
    const parsed = states[this.dialect].parse(await call(`${this.url}/_sim/state`));
    return {
      orders: new Map(Object.entries(parsed.orders).map(([id, o]) => [id, stages[this.dialect][o.status] ?? 'other'])),
      onHand: new Map(parsed.onHand),
    };
  }

  /** The warehouse's own pace: acknowledge (REST), run the batch window, run the EDI translator. */
  process = () => call(`${this.url}/_sim/process`, {});
  fulfil = (orderId: string, short = false) => call(`${this.url}/_sim/fulfil`, { orderId, short });
  giveBack = async (orderId: string) => z.object({ returnId: z.string() }).parse(await call(`${this.url}/_sim/return`, { orderId })).returnId;
  /** A goods receipt: `delta` more of the item on hand. */
  receive = (sku: string, delta: number) => call(`${this.url}/_sim/stock`, { sku, delta });
  faults = (patch: Record<string, unknown>) => call(`${this.url}/_sim/faults`, patch);
}
