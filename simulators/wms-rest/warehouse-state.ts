import { randomBytes } from 'node:crypto';
import { monotonicClock } from './sim-kit';

/** What the simulated WMS knows, in its own JSON shapes (snake_case, as its API returns them). */
export interface SimOrder {
  id: string;
  reference_id: string;
  status: 'Received' | 'Processing' | 'Picked' | 'Packed' | 'Completed' | 'Exception' | 'OnHold' | 'Cancelled';
  created_at: string;
  updated_at: string;
  acknowledged_at: string | null;
  picked_at: string | null;
  packed_at: string | null;
  completed_at: string | null;
  cancelled_at: string | null;
  ship_to: unknown;
  shipping_method: unknown;
  lines: { line_ref: string; sku: string; quantity: number; shipped_quantity: number }[];
  shipments: {
    id: string;
    carrier: string;
    service?: string;
    shipped_at: string;
    packages: { id: string; tracking_number: string; weight_kg: string; items: { sku: string; quantity: number }[] }[];
  }[];
  /** How many create requests arrived for this reference (de-duplicated into one order). */
  create_requests: number;
}

export interface SimStock {
  sku: string;
  location: string;
  on_hand: number;
  committed: number;
  updated_at: string;
}

export interface SimReturn {
  id: string;
  reference_id: string;
  status: 'Completed';
  reason: string;
  completed_at: string;
  updated_at: string;
  items: { sku: string; quantity: number; condition: 'sellable' | 'damaged' | 'quarantine' }[];
}

export interface WmsRestState {
  orders: Record<string, SimOrder>;
  stock: Record<string, SimStock>;
  returns: Record<string, SimReturn>;
  sequence: number;
}

/** A webhook the state change should announce. */
export interface Announcement {
  type: string;
  data: Record<string, unknown>;
}

export class InvalidTransition extends Error {}

/**
 * The WMS's order lifecycle: Received → Processing (acknowledged) → Picked → Packed → Completed,
 * Cancelled possible until picking. Every change returns what it announces by webhook.
 */
export class WarehouseState {
  readonly now = monotonicClock();

  constructor(readonly data: WmsRestState) {}

  static empty(stock: Record<string, number>): WarehouseState {
    const state = new WarehouseState({ orders: {}, stock: {}, returns: {}, sequence: 1000 });
    for (const [sku, qty] of Object.entries(stock))
      state.data.stock[sku] = { sku, location: `A-${sku.length}-01`, on_hand: qty, committed: 0, updated_at: state.now() };
    return state;
  }

  create(body: { reference_id: string; lines: { line_ref: string; sku: string; quantity: number }[]; ship_to: unknown; shipping_method: unknown }) {
    const existing = this.data.orders[body.reference_id];
    if (existing) {
      existing.create_requests += 1;
      return { order: existing, created: false };
    }
    const at = this.now();
    const order: SimOrder = {
      id: `WO-${++this.data.sequence}`,
      reference_id: body.reference_id,
      status: 'Received',
      created_at: at,
      updated_at: at,
      acknowledged_at: null,
      picked_at: null,
      packed_at: null,
      completed_at: null,
      cancelled_at: null,
      ship_to: body.ship_to,
      shipping_method: body.shipping_method,
      lines: body.lines.map((l) => ({ ...l, shipped_quantity: 0 })),
      shipments: [],
      create_requests: 1,
    };
    this.data.orders[order.reference_id] = order;
    return { order, created: true };
  }

  acknowledge(order: SimOrder): Announcement[] {
    if (order.status !== 'Received') return [];
    order.status = 'Processing';
    order.acknowledged_at = order.updated_at = this.now();
    const changed = order.lines.map((l) => this.#adjust(l.sku, 0, l.quantity));
    return [this.#orderHook('order.acknowledged', order), ...changed];
  }

  pick(order: SimOrder): Announcement[] {
    if (order.status !== 'Processing') throw new InvalidTransition(`order ${order.reference_id} is ${order.status}`);
    order.status = 'Picked';
    order.picked_at = order.updated_at = this.now();
    return [this.#orderHook('order.picked', order)];
  }

  pack(order: SimOrder): Announcement[] {
    if (order.status !== 'Picked') throw new InvalidTransition(`order ${order.reference_id} is ${order.status}`);
    order.status = 'Packed';
    order.packed_at = order.updated_at = this.now();
    return [this.#orderHook('order.packed', order)];
  }

  /**
   * Ships every line, one package per line; `short` ships the last line at half (rounded down).
   * A line never ships more than is on hand: the warehouse ships what it has, short, rather than
   * letting its stock go negative, so its count stays one Odoo can be reconciled with.
   */
  ship(order: SimOrder, short: boolean): Announcement[] {
    if (order.status !== 'Packed') throw new InvalidTransition(`order ${order.reference_id} is ${order.status}`);
    const at = this.now();
    const changes: Announcement[] = [];
    const packages = order.lines
      .map((line, index) => {
        const wanted = short && index === order.lines.length - 1 ? Math.floor(line.quantity / 2) : line.quantity;
        line.shipped_quantity = Math.min(wanted, Math.max(0, this.data.stock[line.sku]?.on_hand ?? 0));
        changes.push(this.#adjust(line.sku, -line.shipped_quantity, -line.quantity));
        return { id: `PKG-${order.id}-${index + 1}`, tracking_number: `1Z${randomBytes(8).toString('hex').toUpperCase()}`, weight_kg: '1.5', items: [{ sku: line.sku, quantity: line.shipped_quantity }] };
      })
      .filter((p) => p.items[0].quantity > 0);
    const method = (order.shipping_method ?? {}) as { carrier?: string; service?: string };
    if (packages.length > 0)
      order.shipments.push({ id: `SHP-${order.id}-${order.shipments.length + 1}`, carrier: method.carrier ?? 'UPS', service: method.service, shipped_at: at, packages });
    order.status = 'Completed';
    order.completed_at = order.updated_at = at;
    return [this.#orderHook('order.shipped', order), ...changes];
  }

  cancel(order: SimOrder): Announcement[] {
    if (order.status === 'Cancelled') return [];
    if (!['Received', 'Processing', 'Exception', 'OnHold'].includes(order.status))
      throw new InvalidTransition(`order ${order.reference_id} is ${order.status} and can no longer be cancelled`);
    const wasReserved = order.status !== 'Received';
    order.status = 'Cancelled';
    order.cancelled_at = order.updated_at = this.now();
    const changes = wasReserved ? order.lines.map((l) => this.#adjust(l.sku, 0, -l.quantity)) : [];
    return [this.#orderHook('order.cancelled', order), ...changes];
  }

  /**
   * Receives one unit of the first shipped line back. A sellable unit goes back on hand (Odoo's
   * return receipt puts it back in stock too, so both keep agreeing); a damaged one does not.
   */
  receiveReturn(order: SimOrder, condition: 'sellable' | 'damaged' = 'sellable'): { ret: SimReturn; hooks: Announcement[] } {
    const line = order.lines.find((l) => l.shipped_quantity > 0);
    if (!line) throw new InvalidTransition(`order ${order.reference_id} shipped nothing to return`);
    const at = this.now();
    const ret: SimReturn = {
      id: `RMA-${++this.data.sequence}`,
      reference_id: order.reference_id,
      status: 'Completed',
      reason: condition === 'sellable' ? 'NOT_NEEDED' : 'DAMAGED',
      completed_at: at,
      updated_at: at,
      items: [{ sku: line.sku, quantity: 1, condition }],
    };
    this.data.returns[ret.id] = ret;
    const restocked = condition === 'sellable' ? [this.#adjust(line.sku, 1, 0)] : [];
    return { ret, hooks: [{ type: 'return.completed', data: { return: ret } }, ...restocked] };
  }

  adjustStock(sku: string, delta: number): Announcement {
    return this.#adjust(sku, delta, 0);
  }

  stockItem(stock: SimStock) {
    return { sku: stock.sku, location: stock.location, on_hand: stock.on_hand, committed: stock.committed, available: stock.on_hand - stock.committed, updated_at: stock.updated_at };
  }

  #adjust(sku: string, onHand: number, committed: number): Announcement {
    const stock = (this.data.stock[sku] ??= { sku, location: 'UNSLOTTED', on_hand: 0, committed: 0, updated_at: this.now() });
    stock.on_hand += onHand;
    stock.committed = Math.max(0, stock.committed + committed);
    stock.updated_at = this.now();
    return { type: 'inventory.changed', data: { item: this.stockItem(stock) } };
  }

  #orderHook(type: string, order: SimOrder): Announcement {
    const { create_requests: _c, ...wire } = order;
    return { type, data: { order: structuredClone(wire) } };
  }
}
