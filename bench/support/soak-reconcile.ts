/**
 * The soak's reconciliation: every order released in Odoo followed to where it must be, from
 * the systems' own state (see soak-state.ts), and every effect that must happen once counted.
 *
 * Lost: a message the runtime took (an order in its ingress keys, ledger or order book; a
 * shipment a warehouse made for an order it holds) that is neither done (the order at the
 * warehouse it was routed to; the shipment validated in Odoo), nor still in flight (a message on
 * the bus), nor dead-lettered. Duplicated effect: an order at more than one warehouse or at one
 * it was not routed to, more than one shipment at a warehouse, more than one validated Odoo
 * delivery for an order, more delivered than ordered on a sales line, more than one Odoo return
 * picking for an RMA or for an order (the demo sends an order back at most once), more Odoo
 * returns than the warehouses received, or a validated delivery with no warehouse shipment.
 */
import type { DeadLetterSummary, OdooState, RuntimeState, WarehouseState } from './soak-state';

export interface Reconciliation {
  orders: Record<'released' | 'delivered' | 'deadLettered' | 'inFlight' | 'lost' | 'neverTaken', number>;
  shipments: Record<'atWarehouses' | 'confirmedInOdoo' | 'shippedNothing' | 'deadLettered' | 'inFlight' | 'lost' | 'notShippedYet', number>;
  returns: { atWarehouses: number; inOdoo: number; deadLettered: number; inFlight: number; lost: number; unmarked: number };
  /** Repeats the warehouses absorbed by their own idempotency (not effects). */
  resentToWarehouses: number;
  lost: number;
  duplicated: number;
  /** Each problem found, one line each (order or RMA first). */
  findings: string[];
  deadLettersByKind: Map<string, number>;
}

const bump = (map: Map<string, number>, key: string, by = 1) => map.set(key, (map.get(key) ?? 0) + by);
const rmaOf = (origin: string | false) => (origin ? /\[([^\]]+)\]\s*$/.exec(origin)?.[1] : undefined);

/**
 * `before` is read first, then Odoo and the runtime, then `after`: a warehouse fact in `before`
 * has had time to reach Odoo, and an order the runtime sent by the time it was read is in `after`.
 */
export function reconcile(before: Map<string, WarehouseState>, after: Map<string, WarehouseState>, odoo: OdooState, runtime: RuntimeState, deadLetters: DeadLetterSummary[]): Reconciliation {
  const findings: string[] = [];
  const deadLettersByKind = new Map<string, number>();
  const deadLettered = new Map<string, DeadLetterSummary[]>();
  for (const d of deadLetters) {
    bump(deadLettersByKind, `${d.topic} ${d.category} (${d.reason}, ${d.status})`);
    deadLettered.set(d.correlationId, [...(deadLettered.get(d.correlationId) ?? []), d]);
  }
  const dlOn = (correlationId: string, topic?: string) => (deadLettered.get(correlationId) ?? []).some((d) => topic === undefined || d.topic === topic);
  const pendingOn = (correlationId: string, topic?: string) => (runtime.pending.get(correlationId) ?? []).some((t) => topic === undefined || t === topic);

  const pickingsByOrder = new Map<string, OdooState['pickings']>();
  for (const p of odoo.pickings) if (p.sale_id) pickingsByOrder.set(p.sale_id[1], [...(pickingsByOrder.get(p.sale_id[1]) ?? []), p]);
  const deliveries = (name: string) => (pickingsByOrder.get(name) ?? []).filter((p) => p.picking_type_code === 'outgoing' && !p.return_id);

  let duplicated = 0;
  let lost = 0;
  const duplicate = (what: string) => {
    duplicated++;
    findings.push(`duplicated: ${what}`);
  };
  const orders = { released: 0, delivered: 0, deadLettered: 0, inFlight: 0, lost: 0, neverTaken: 0 };
  const shipments = { atWarehouses: 0, confirmedInOdoo: 0, shippedNothing: 0, deadLettered: 0, inFlight: 0, lost: 0, notShippedYet: 0 };
  let resentToWarehouses = 0;

  for (const order of odoo.orders) {
    if (order.state !== 'sale') continue;
    orders.released++;
    const name = order.name;
    const assignment = runtime.assignments.get(name);
    const holders = [...after].filter(([, w]) => w.orders.has(name)).map(([id]) => id);
    const accepted = assignment !== undefined || runtime.releasedOdooIds.has(order.id) || runtime.ledgerByCorrelation.has(name);

    // Nobody reroutes during the soak, so one warehouse holds each order: the one it was routed to.
    if (holders.length > 1) duplicate(`${name} is at ${holders.join(' and ')}`);
    if (assignment && holders.length > 0 && !holders.includes(assignment.warehouseId)) duplicate(`${name} was routed to ${assignment.warehouseId} but is at ${holders.join(', ')}`);

    if (assignment && holders.includes(assignment.warehouseId)) orders.delivered++;
    else if (dlOn(name)) orders.deadLettered++;
    else if (pendingOn(name)) orders.inFlight++;
    else if (accepted) {
      orders.lost++;
      lost++;
      findings.push(`lost: ${name} was taken by the runtime (${assignment ? `routed to ${assignment.warehouseId}, ${assignment.status}` : 'not routed'}) but is at no warehouse, on no queue and in no dead letter`);
      continue;
    } else {
      orders.neverTaken++;
      findings.push(`never taken: ${name} was released in Odoo but the runtime has no trace of it`);
      continue;
    }

    const done = deliveries(name).filter((p) => p.state === 'done');
    if (done.length > 1) duplicate(`${name} has ${done.length} validated deliveries in Odoo (${done.map((p) => p.name).join(', ')})`);
    for (const id of holders) {
      const at = before.get(id)!.orders.get(name) ?? after.get(id)!.orders.get(name)!;
      if (at.received > 1) resentToWarehouses++;
      if (at.shipments > 1) duplicate(`${name} was shipped ${at.shipments} times by ${id}`);
    }
    const shippedBefore = assignment ? before.get(assignment.warehouseId)?.orders.get(name) : undefined;
    const shippedAfter = assignment ? after.get(assignment.warehouseId)?.orders.get(name) : undefined;
    if (done.length > 0 && !(shippedAfter?.shippedUnits ?? 0)) duplicate(`${name}: Odoo delivery ${done[0].name} validated, but ${assignment?.warehouseId ?? 'no warehouse'} shipped nothing for it`);
    if (!shippedBefore?.shipped) {
      if (holders.length > 0) shipments.notShippedYet++;
      continue;
    }
    shipments.atWarehouses++;
    if (shippedBefore.shippedUnits === 0) shipments.shippedNothing++;
    else if (done.length > 0) shipments.confirmedInOdoo++;
    else if (dlOn(name, 'orders.warehouse-events')) shipments.deadLettered++;
    else if (pendingOn(name)) shipments.inFlight++;
    else {
      shipments.lost++;
      lost++;
      findings.push(`lost: ${assignment!.warehouseId} shipped ${shippedBefore.shippedUnits} units of ${name}, but its Odoo delivery is ${deliveries(name).map((p) => `${p.name} ${p.state}`).join(', ') || 'missing'}, with nothing queued or dead-lettered`);
    }
  }

  // A done outgoing move counts what left; over a sales line's quantity, a shipment was applied twice.
  const pickingById = new Map(odoo.pickings.map((p) => [p.id, p]));
  const deliveredPerLine = new Map<number, number>();
  for (const m of odoo.moves) {
    const picking = m.picking_id ? pickingById.get(m.picking_id[0]) : undefined;
    if (picking?.picking_type_code === 'outgoing' && !picking.return_id && m.sale_line_id) deliveredPerLine.set(m.sale_line_id[0], (deliveredPerLine.get(m.sale_line_id[0]) ?? 0) + m.quantity);
  }
  for (const line of odoo.lines) {
    const delivered = deliveredPerLine.get(line.id) ?? 0;
    if (delivered > line.product_uom_qty + 1e-9) duplicate(`${line.order_id ? line.order_id[1] : '?'} line ${line.id}: ${delivered} delivered of ${line.product_uom_qty} ordered`);
  }

  // Returns: each demo return is one RMA, and an order comes back at most once.
  const returnPickings = odoo.pickings.filter((p) => p.return_id);
  const byRma = new Map<string, number>();
  const byOrder = new Map<string, number>();
  let unmarked = 0;
  for (const p of returnPickings) {
    const rma = rmaOf(p.origin);
    if (rma) bump(byRma, rma);
    else unmarked++;
    if (p.sale_id) bump(byOrder, p.sale_id[1]);
  }
  for (const [rma, n] of byRma) if (n > 1) duplicate(`RMA ${rma} has ${n} return pickings in Odoo`);
  for (const [order, n] of byOrder) if (n > 1) duplicate(`${order} has ${n} return pickings in Odoo (it came back once)`);
  const atWarehouses = [...before.values()].reduce((n, w) => n + w.returns, 0);
  const inOdoo = returnPickings.filter((p) => p.state === 'done' && rmaOf(p.origin)).length;
  const returnDeadLetters = deadLetters.filter((d) => d.topic === 'returns.received').length;
  const returnsPending = [...runtime.pending.values()].flat().filter((t) => t === 'returns.received').length;
  const lostReturns = Math.max(0, atWarehouses - inOdoo - returnDeadLetters - returnsPending);
  if (lostReturns > 0) findings.push(`lost: ${lostReturns} of ${atWarehouses} warehouse returns are neither in Odoo, queued nor dead-lettered`);
  if (byRma.size > atWarehouses) duplicate(`Odoo has return pickings for ${byRma.size} RMAs, the warehouses received ${atWarehouses} returns`);
  lost += lostReturns;

  // The simulator counts every validation, and a validated picking carries its date; one validated twice would show here.
  const validatedPickings = odoo.pickings.filter((p) => p.date_done).length;
  if ((odoo.counters.pickingsValidated ?? 0) > validatedPickings) duplicate(`Odoo counted ${odoo.counters.pickingsValidated} validations for ${validatedPickings} validated pickings`);

  return {
    orders,
    shipments,
    returns: { atWarehouses, inOdoo, deadLettered: returnDeadLetters, inFlight: returnsPending, lost: lostReturns, unmarked },
    resentToWarehouses,
    lost,
    duplicated,
    findings,
    deadLettersByKind,
  };
}
