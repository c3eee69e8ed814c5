import { userError } from '../errors';
import { touch } from '../orm/records';
import type { Row } from '../orm/store';
import type { Env } from '../orm/types';
import { assignMoves, doneMove, movesOf, newMove, newPicking, recomputeDeliveryStatus, recomputePickingState } from './stock-operations';

const open = (move: Row) => move.state !== 'done' && move.state !== 'cancel';

/**
 * `stock.picking.button_validate` (17/18): confirm drafts, sanity checks, mark moves picked,
 * then either return the backorder wizard (when quantities are short and the operation type
 * asks), or finish the moves, creating a backorder for the remainder or cancelling it as the
 * context says (`skip_backorder`, `picking_ids_not_to_backorder`).
 */
export function buttonValidate(env: Env, pickings: Row[]): unknown {
  for (const picking of pickings)
    if (picking.state === 'draft') {
      for (const move of movesOf(env, picking.id)) {
        if (move.state === 'draft') touch(env, 'stock.move', move.id, { state: 'confirmed' });
        if (!Number(move.quantity)) touch(env, 'stock.move', move.id, { quantity: move.product_uom_qty });
      }
      recomputePickingState(env, picking.id);
    }
  for (const picking of pickings) {
    const moves = movesOf(env, picking.id);
    if (moves.length === 0) throw userError('Please add some items to move.');
    // A done or cancelled picking has no open move with a quantity, so it fails the same check.
    if (moves.filter(open).every((m) => !Number(m.quantity)))
      throw userError('You cannot validate a transfer if no quantities are reserved. To force the transfer, encode quantities.');
  }
  for (const picking of pickings) {
    const moves = movesOf(env, picking.id).filter(open);
    if (!moves.some((m) => m.picked)) for (const m of moves) touch(env, 'stock.move', m.id, { picked: true });
  }
  const short = (picking: Row) =>
    movesOf(env, picking.id)
      .filter(open)
      .some((m) => !m.picked || Number(m.quantity) < Number(m.product_uom_qty));
  const noBackorder = new Set(((env.context.picking_ids_not_to_backorder as number[]) ?? []).map(Number));
  const ask = pickings.filter((p) => {
    if (!short(p) || noBackorder.has(p.id) || env.context.skip_backorder) return false;
    return env.store.get('stock.picking.type', p.picking_type_id as number)?.create_backorder === 'ask';
  });
  if (ask.length > 0)
    return {
      name: 'Create Backorder?',
      type: 'ir.actions.act_window',
      view_mode: 'form',
      res_model: 'stock.backorder.confirmation',
      views: [[false, 'form']],
      view_id: false,
      target: 'new',
      context: {
        ...env.context,
        button_validate_picking_ids: pickings.map((p) => p.id),
        default_show_transfers: false,
        default_pick_ids: ask.map((p) => [4, p.id]),
      },
    };
  for (const picking of pickings) {
    const type = env.store.get('stock.picking.type', picking.picking_type_id as number)!;
    const backorder = short(picking) && !noBackorder.has(picking.id) && type.create_backorder !== 'never';
    finish(env, picking, backorder);
  }
  return true;
}

function finish(env: Env, picking: Row, withBackorder: boolean): void {
  const remainders: { move: Row; qty: number }[] = [];
  for (const move of movesOf(env, picking.id).filter(open)) {
    const done = move.picked ? Math.min(Number(move.quantity), Number(move.product_uom_qty)) : 0;
    const rest = Number(move.product_uom_qty) - done;
    if (rest > 0) remainders.push({ move, qty: rest });
    if (done > 0) doneMove(env, move, done);
    else touch(env, 'stock.move', move.id, { state: 'cancel', quantity: 0 });
  }
  touch(env, 'stock.picking', picking.id, { date_done: env.now });
  recomputePickingState(env, picking.id);
  env.counters.pickingsValidated++;
  if (withBackorder && remainders.length > 0) {
    const backorder = newPicking(env, picking.picking_type_id as number, {
      origin: picking.origin,
      sale_id: picking.sale_id ?? false,
      partner_id: picking.partner_id ?? false,
      location_id: picking.location_id,
      location_dest_id: picking.location_dest_id,
      backorder_id: picking.id,
      move_type: picking.move_type,
      scheduled_date: picking.scheduled_date,
    });
    const moves = remainders.map(({ move, qty }) =>
      newMove(env, backorder, {
        name: move.name,
        product_id: move.product_id,
        product_uom: move.product_uom,
        product_uom_qty: qty,
        sale_line_id: move.sale_line_id ?? false,
      }),
    );
    assignMoves(env, moves);
    recomputePickingState(env, backorder.id);
    env.counters.backordersCreated++;
  }
  if (picking.sale_id) recomputeDeliveryStatus(env, picking.sale_id as number);
}
