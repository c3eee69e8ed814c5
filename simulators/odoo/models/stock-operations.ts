import { userError } from '../errors';
import { touch } from '../orm/records';
import { nextSequence } from '../orm/sequence';
import type { Row } from '../orm/store';
import type { Env } from '../orm/types';

/**
 * The stock engine behind the pickings: UoM conversion, reservation against quants, the picking
 * state compute, and moving quantities when moves are done.
 */

/** `uom.uom._compute_quantity`: through the reference unit, rounded up to the target's rounding. */
export function convertUom(env: Env, qty: number, fromId: number, toId: number): number {
  if (fromId === toId) return qty;
  const from = env.store.get('uom.uom', fromId)!;
  const to = env.store.get('uom.uom', toId)!;
  if (env.version <= 18 && from.category_id !== to.category_id)
    throw userError(
      `The unit of measure ${from.name} defined on the order line doesn't belong to the same category as the unit of measure ${to.name} defined on the product. Please correct the unit of measure defined on the order line or on the product. They should belong to the same category.`,
    );
  const converted = (qty / Number(from.factor)) * Number(to.factor);
  const rounding = Number(to.rounding) || 0.01;
  return Math.ceil(Number((converted / rounding).toFixed(6))) * rounding;
}

export const productUomOf = (env: Env, productId: number): number =>
  env.store.get('product.template', env.store.get('product.product', productId)!.product_tmpl_id as number)!.uom_id as number;

export const locationUsage = (env: Env, id: number) => env.store.get('stock.location', id)?.usage;

function isChildOf(env: Env, id: number, ancestor: number): boolean {
  for (let current: number | undefined = id; current; current = env.store.get('stock.location', current)?.location_id as number | undefined)
    if (current === ancestor) return true;
  return false;
}

export function movesOf(env: Env, pickingId: number): Row[] {
  return [...env.store.rows('stock.move')].filter((m) => m.picking_id === pickingId).sort((a, b) => a.id - b.id);
}

/** `stock.picking._compute_state`, stored: a change moves `write_date`, as Odoo's recompute does. */
export function recomputePickingState(env: Env, pickingId: number): void {
  const picking = env.store.get('stock.picking', pickingId)!;
  const moves = movesOf(env, pickingId);
  let state: string;
  if (moves.length === 0 || moves.some((m) => m.state === 'draft')) state = 'draft';
  else if (moves.every((m) => m.state === 'cancel')) state = 'cancel';
  else if (moves.every((m) => m.state === 'cancel' || m.state === 'done')) state = 'done';
  else {
    const open = moves.filter((m) => m.state !== 'cancel' && m.state !== 'done');
    const ready = picking.move_type === 'one'
      ? open.every((m) => m.state === 'assigned')
      : open.some((m) => m.state === 'assigned' || m.state === 'partially_available');
    state = ready ? 'assigned' : 'confirmed';
  }
  if (picking.state !== state) touch(env, 'stock.picking', pickingId, { state });
}

/** Reserves stock for confirmed moves from quants under their source location. */
export function assignMoves(env: Env, moves: Row[]): void {
  for (const move of moves) {
    if (!['confirmed', 'partially_available', 'waiting'].includes(String(move.state))) continue;
    const productUom = productUomOf(env, move.product_id as number);
    const demand = convertUom(env, Number(move.product_uom_qty), move.product_uom as number, productUom);
    const reservations = [...((move.reservations as [number, number][]) ?? [])];
    let reserved = reservations.reduce((sum, [, q]) => sum + q, 0);
    if (locationUsage(env, move.location_id as number) !== 'internal') {
      // Goods coming from a customer or vendor need no reservation (`_should_bypass_reservation`).
      touch(env, 'stock.move', move.id, { state: 'assigned', quantity: move.product_uom_qty });
      continue;
    }
    for (const quant of env.store.rows('stock.quant')) {
      if (reserved >= demand) break;
      if (quant.product_id !== move.product_id || !isChildOf(env, quant.location_id as number, move.location_id as number)) continue;
      const free = Number(quant.quantity) - Number(quant.reserved_quantity ?? 0);
      if (free <= 0) continue;
      const take = Math.min(free, demand - reserved);
      touch(env, 'stock.quant', quant.id, { reserved_quantity: Number(quant.reserved_quantity ?? 0) + take });
      reservations.push([quant.id, take]);
      reserved += take;
    }
    const state = reserved >= demand ? 'assigned' : reserved > 0 ? 'partially_available' : 'confirmed';
    touch(env, 'stock.move', move.id, {
      state,
      reservations,
      quantity: convertUom(env, reserved, productUom, move.product_uom as number),
    });
  }
}

/** Gives back a move's reservations to its quants. */
export function unreserve(env: Env, move: Row): void {
  for (const [quantId, qty] of (move.reservations as [number, number][]) ?? []) {
    const quant = env.store.get('stock.quant', quantId);
    if (quant) touch(env, 'stock.quant', quantId, { reserved_quantity: Math.max(0, Number(quant.reserved_quantity) - qty) });
  }
  touch(env, 'stock.move', move.id, { reservations: [] });
}

/** Adds `qty` (product UoM) to the quant of a product at a location, creating it if needed. */
export function updateQuant(env: Env, productId: number, locationId: number, qty: number): void {
  if (locationUsage(env, locationId) !== 'internal') return;
  for (const quant of env.store.rows('stock.quant'))
    if (quant.product_id === productId && quant.location_id === locationId) {
      touch(env, 'stock.quant', quant.id, { quantity: Number(quant.quantity) + qty });
      return;
    }
  env.store.insert('stock.quant', {
    product_id: productId,
    location_id: locationId,
    quantity: qty,
    reserved_quantity: 0,
    inventory_quantity: 0,
    inventory_quantity_set: false,
    in_date: env.now,
    create_date: env.now,
    write_date: env.now,
    create_uid: env.uid,
    write_uid: env.uid,
  });
}

/** Completes one move for `doneQty` (move UoM): stock leaves the source and reaches the destination. */
export function doneMove(env: Env, move: Row, doneQty: number): void {
  unreserve(env, move);
  const productUom = productUomOf(env, move.product_id as number);
  const qty = convertUom(env, doneQty, move.product_uom as number, productUom);
  if (locationUsage(env, move.location_id as number) === 'internal') {
    // Take from quants under the source location; what is missing goes negative at the source itself.
    let remaining = qty;
    for (const quant of env.store.rows('stock.quant')) {
      if (remaining <= 0) break;
      if (quant.product_id !== move.product_id || !isChildOf(env, quant.location_id as number, move.location_id as number)) continue;
      const take = Math.min(Math.max(Number(quant.quantity), 0), remaining);
      if (take <= 0) continue;
      touch(env, 'stock.quant', quant.id, { quantity: Number(quant.quantity) - take });
      remaining -= take;
    }
    if (remaining > 0) updateQuant(env, move.product_id as number, move.location_id as number, -remaining);
  }
  updateQuant(env, move.product_id as number, move.location_dest_id as number, qty);
  touch(env, 'stock.move', move.id, { state: 'done', quantity: doneQty, product_uom_qty: doneQty, picked: true, date: env.now });
  if (move.sale_line_id) {
    const line = env.store.get('sale.order.line', move.sale_line_id as number);
    const returning = locationUsage(env, move.location_id as number) === 'customer';
    if (line) touch(env, 'sale.order.line', line.id, { qty_delivered: Number(line.qty_delivered ?? 0) + (returning ? -doneQty : doneQty) });
  }
}

/** A new picking of `typeId` named from its warehouse code and sequence code (`WH/OUT/00012`). */
export function newPicking(env: Env, typeId: number, values: Record<string, unknown>): Row {
  const type = env.store.get('stock.picking.type', typeId)!;
  const warehouse = env.store.get('stock.warehouse', type.warehouse_id as number)!;
  return env.store.insert('stock.picking', {
    name: nextSequence(env, `${warehouse.code}/${type.sequence_code}/`),
    picking_type_id: typeId,
    location_id: type.default_location_src_id,
    location_dest_id: type.default_location_dest_id,
    move_type: 'direct',
    priority: '0',
    state: 'draft',
    scheduled_date: env.now,
    origin: false,
    carrier_tracking_ref: false,
    create_date: env.now,
    write_date: env.now,
    create_uid: env.uid,
    write_uid: env.uid,
    ...values,
  });
}

export function newMove(env: Env, picking: Row, values: Record<string, unknown>): Row {
  return env.store.insert('stock.move', {
    picking_id: picking.id,
    location_id: picking.location_id,
    location_dest_id: picking.location_dest_id,
    state: 'confirmed',
    quantity: 0,
    picked: false,
    reservations: [],
    date: env.now,
    reference: picking.name,
    origin: picking.origin,
    create_date: env.now,
    write_date: env.now,
    create_uid: env.uid,
    write_uid: env.uid,
    ...values,
  });
}

/** What `sale_stock` procurement does on `action_confirm` for a one-step delivery: one OUT picking, reserved at once. */
export function createDeliveryFor(env: Env, orderId: number, uomField: string): void {
  const order = env.store.get('sale.order', orderId)!;
  const warehouse = env.store.get('stock.warehouse', order.warehouse_id as number) ?? env.store.rows('stock.warehouse')[Symbol.iterator]().next().value!;
  const lines = [...env.store.rows('sale.order.line')].filter((l) => l.order_id === orderId && !l.display_type && l.product_id);
  if (lines.length === 0) return;
  const picking = newPicking(env, warehouse.out_type_id as number, {
    origin: order.name,
    sale_id: order.id,
    partner_id: order.partner_shipping_id,
    scheduled_date: order.commitment_date || env.now,
    move_type: order.picking_policy,
  });
  const moves = lines.map((line) =>
    newMove(env, picking, {
      name: line.name,
      product_id: line.product_id,
      product_uom_qty: line.product_uom_qty,
      product_uom: line[uomField],
      sale_line_id: line.id,
    }),
  );
  assignMoves(env, moves);
  recomputePickingState(env, picking.id);
  touch(env, 'sale.order', orderId, { delivery_status: 'pending' });
}

/** `sale_stock._compute_delivery_status` and `effective_date`, stored on the order. */
export function recomputeDeliveryStatus(env: Env, orderId: number): void {
  const pickings = [...env.store.rows('stock.picking')].filter((p) => p.sale_id === orderId && p.state !== 'cancel' && !p.return_id);
  let status: string | false = false;
  if (pickings.length > 0) {
    if (pickings.every((p) => p.state === 'done')) status = 'full';
    else if (pickings.some((p) => p.state === 'done')) status = 'partial';
    else status = 'pending';
  }
  const order = env.store.get('sale.order', orderId)!;
  const firstDone = pickings.filter((p) => p.date_done).map((p) => String(p.date_done)).sort()[0] ?? false;
  if (order.delivery_status !== status || order.effective_date !== firstDone)
    touch(env, 'sale.order', orderId, { delivery_status: status, effective_date: firstDone });
}
