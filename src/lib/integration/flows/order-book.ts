import type { Order, Return, Shipment } from '../canonical';
import type { RuntimeDb } from '../store/runtime-db';

/** Where an order stands between Odoo and its warehouse, as far as the runtime has seen. */
export type OrderStatus = 'routed' | 'sent' | 'acknowledged' | 'picked' | 'packed' | 'shipped' | 'short_shipped' | 'confirmed' | 'cancelled';

export interface OrderAssignment {
  orderId: string;
  order: Order;
  warehouseId: string;
  routeId: string | null;
  reason: string;
  status: OrderStatus;
  warehouseRef: string | null;
  /** The warehouse it was moved away from by the last reroute, and why. */
  reroutedFrom: string | null;
  rerouteReason: string | null;
  releasedAt: string;
  sentAt: string | null;
  updatedAt: string;
}

interface Row {
  order_id: string;
  order_json: string;
  warehouse_id: string;
  route_id: string | null;
  reason: string;
  status: OrderStatus;
  warehouse_ref: string | null;
  rerouted_from: string | null;
  reroute_reason: string | null;
  released_at: string;
  sent_at: string | null;
  updated_at: string;
}

/** A shipment (or, negative, a return) a warehouse reported that Odoo has not booked yet, line by line. */
export interface PendingLine {
  sku: string;
  quantity: string;
  uom: string;
  /** ISO timestamp: a count taken before it does not reflect this shipment yet. */
  shippedAt: string;
}

/**
 * The runtime's memory of each order's assignment (which warehouse, why, how far it got) and of
 * shipments not yet confirmed in Odoo. Routing happens once per order: a retry sends to the
 * warehouse recorded here, so a redelivery never flips an order between warehouses; only a
 * reroute changes it.
 */
export class OrderBook {
  readonly #get;
  readonly #insert;
  readonly #status;
  readonly #sent;
  readonly #move;
  readonly #openBefore;
  readonly #addPending;
  readonly #confirmPending;
  readonly #pendingFor;

  constructor(db: RuntimeDb) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS order_assignments (
        order_id TEXT PRIMARY KEY, order_json TEXT NOT NULL, warehouse_id TEXT NOT NULL, route_id TEXT,
        reason TEXT NOT NULL, status TEXT NOT NULL, warehouse_ref TEXT, rerouted_from TEXT, reroute_reason TEXT,
        released_at TEXT NOT NULL, sent_at TEXT, updated_at TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS order_assignments_open ON order_assignments (status, sent_at);
      CREATE TABLE IF NOT EXISTS pending_shipments (
        shipment_id TEXT NOT NULL, warehouse_id TEXT NOT NULL, order_id TEXT NOT NULL, sku TEXT NOT NULL,
        quantity TEXT NOT NULL, uom TEXT NOT NULL, shipped_at TEXT NOT NULL, confirmed INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (shipment_id, sku, uom, quantity)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS pending_shipments_open ON pending_shipments (warehouse_id, sku) WHERE confirmed = 0;`);
    this.#get = db.prepare<[string], Row>('SELECT * FROM order_assignments WHERE order_id = ?');
    this.#insert = db.prepare(
      `INSERT INTO order_assignments (order_id, order_json, warehouse_id, route_id, reason, status, released_at, updated_at)
       VALUES (@orderId, @order, @warehouseId, @routeId, @reason, 'routed', @now, @now) ON CONFLICT (order_id) DO NOTHING`,
    );
    this.#status = db.prepare('UPDATE order_assignments SET status = ?, updated_at = ? WHERE order_id = ?');
    this.#sent = db.prepare(`UPDATE order_assignments SET status = 'sent', warehouse_ref = ?, sent_at = coalesce(sent_at, ?), updated_at = ? WHERE order_id = ? AND status = 'routed'`);
    this.#move = db.prepare(
      `UPDATE order_assignments SET warehouse_id = ?, route_id = NULL, rerouted_from = warehouse_id, reroute_reason = ?, status = 'routed',
       warehouse_ref = NULL, sent_at = NULL, updated_at = ? WHERE order_id = ?`,
    );
    this.#openBefore = db.prepare<[string, number], Row>(`SELECT * FROM order_assignments WHERE status IN ('routed', 'sent') AND released_at < ? ORDER BY released_at LIMIT ?`);
    this.#addPending = db.prepare('INSERT OR IGNORE INTO pending_shipments (shipment_id, warehouse_id, order_id, sku, quantity, uom, shipped_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.#confirmPending = db.prepare('UPDATE pending_shipments SET confirmed = 1 WHERE shipment_id = ?');
    this.#pendingFor = db.prepare<[string], PendingLine>('SELECT sku, quantity, uom, shipped_at AS shippedAt FROM pending_shipments WHERE warehouse_id = ? AND confirmed = 0');
  }

  get(orderId: string): OrderAssignment | undefined {
    const row = this.#get.get(orderId);
    return row && fromRow(row);
  }

  /** Records the routing decision; the first one stands (a concurrent repeat keeps it). */
  assign(order: Order, decision: { warehouseId: string; routeId: string | null; reason: string }, now = new Date()): OrderAssignment {
    this.#insert.run({ orderId: order.orderId, order: JSON.stringify(order), warehouseId: decision.warehouseId, routeId: decision.routeId, reason: decision.reason, now: now.toISOString() });
    return this.get(order.orderId)!;
  }

  markSent(orderId: string, warehouseRef: string, now = new Date()): void {
    const at = now.toISOString();
    this.#sent.run(warehouseRef, at, at, orderId);
  }

  /**
   * Moves an order forward; never back (a late `picked` after `shipped` changes nothing).
   * Returns whether it moved: a stale report is not a milestone.
   */
  advance(orderId: string, status: OrderStatus, now = new Date()): boolean {
    const current = this.get(orderId);
    if (!current || rank[status] <= rank[current.status]) return false;
    this.#status.run(status, now.toISOString(), orderId);
    return true;
  }

  /** Points the order at another warehouse; it is sent there by the next release. */
  reassign(orderId: string, warehouseId: string, reason: string, now = new Date()): void {
    this.#move.run(warehouseId, reason, now.toISOString(), orderId);
  }

  /** Orders released before `before` that no warehouse has acknowledged yet, oldest first. */
  unacknowledged(before: Date, limit = 500): OrderAssignment[] {
    return this.#openBefore.all(before.toISOString(), limit).map(fromRow);
  }

  /** Remembers what left a warehouse until Odoo confirms it, so stock counts can allow for it. */
  recordShipment(shipment: Shipment): void {
    for (const line of shipment.lines) this.#addPending.run(shipment.shipmentId, shipment.warehouseId, shipment.orderId, line.sku, line.quantity, line.uom, new Date(shipment.shippedAt).toISOString());
  }

  confirmShipment(shipmentId: string): void {
    this.#confirmPending.run(shipmentId);
  }

  /**
   * Remembers goods received back until Odoo's return picking is validated: the warehouse counts
   * them at once and Odoo adds them on validation, so a count applied meanwhile must leave them out
   * (kept as negative pending lines under `return:<rma>`).
   */
  recordReturn(ret: Return): void {
    for (const line of ret.lines) this.#addPending.run(returnKey(ret.returnId), ret.warehouseId, ret.orderId, line.sku, `-${line.quantity}`, line.uom, new Date(ret.receivedAt).toISOString());
  }

  confirmReturn(returnId: string): void {
    this.#confirmPending.run(returnKey(returnId));
  }

  /** Shipped (positive) or returned (negative) but not yet booked in Odoo, at one warehouse. */
  pendingShipments(warehouseId: string): PendingLine[] {
    return this.#pendingFor.all(warehouseId);
  }
}

const returnKey = (returnId: string) => `return:${returnId}`;

const rank: Record<OrderStatus, number> = { routed: 0, sent: 1, acknowledged: 2, picked: 3, packed: 4, shipped: 5, short_shipped: 5, confirmed: 6, cancelled: 7 };

function fromRow(row: Row): OrderAssignment {
  return {
    orderId: row.order_id,
    order: JSON.parse(row.order_json) as Order,
    warehouseId: row.warehouse_id,
    routeId: row.route_id,
    reason: row.reason,
    status: row.status,
    warehouseRef: row.warehouse_ref,
    reroutedFrom: row.rerouted_from,
    rerouteReason: row.reroute_reason,
    releasedAt: row.released_at,
    sentAt: row.sent_at,
    updatedAt: row.updated_at,
  };
}
