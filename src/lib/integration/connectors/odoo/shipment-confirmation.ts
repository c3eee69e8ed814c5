import Decimal from 'decimal.js';
import { z } from 'zod';
import { parseOrThrow, type Shipment, trackingNumbers } from '../../canonical';
import { InventoryMismatchError, MasterDataError, SequenceError, ValidationError } from '../../errors';
import { idOf, readById, text } from './lookups';
import { MoveRow, PickingRow, pickingFields } from './odoo-records';
import type { OdooSyncState } from './sync-state';
import type { OdooTransport } from './transport';
import { convertUnits, unitsByName } from './units';
import type { OdooDialect } from './version';

/** What confirming a shipment did in Odoo. */
export interface ShipmentConfirmation {
  pickingId: number;
  pickingName: string;
  /** The backorder Odoo created for what was not shipped, if any. */
  backorderName?: string;
  /** True when this shipment had already been confirmed: nothing was done the second time. */
  duplicate: boolean;
}

export interface ConfirmOptions {
  /** Cancel what was not shipped instead of leaving a backorder for it. */
  cancelRemainder?: boolean;
}

/**
 * Confirms a warehouse shipment on the order's open delivery: sets each move's done quantity
 * (and `picked`, 17+), the carrier tracking reference, then `button_validate` with the context
 * that answers the backorder question up front (`skip_backorder`, or
 * `picking_ids_not_to_backorder` to cancel the rest). Idempotent on `shipmentId`: a repeat finds
 * the recorded result, or the done picking carrying the same tracking reference in Odoo (after a
 * crash between Odoo's commit and ours), and changes nothing.
 */
export async function confirmShipment(transport: OdooTransport, state: OdooSyncState, dialect: OdooDialect, shipment: Shipment, options: ConfirmOptions = {}): Promise<ShipmentConfirmation> {
  const key = `odoo:shipment:${shipment.shipmentId}`;
  const recorded = state.appliedWrite<ShipmentConfirmation>(key);
  if (recorded) return { ...recorded, duplicate: true };
  const trackingRef = trackingNumbers(shipment).join(',');

  const pickings = parseOrThrow(
    z.array(PickingRow),
    await transport.call({
      model: 'stock.picking',
      method: 'search_read',
      kwargs: { domain: [['sale_id.name', '=', shipment.orderId], ['picking_type_code', '=', 'outgoing']], fields: pickingFields, order: 'id asc' },
    }),
    'Odoo stock.picking',
  );
  const already = pickings.find((p) => p.state === 'done' && text(p.carrier_tracking_ref) === trackingRef);
  if (already) {
    const result = { pickingId: already.id, pickingName: already.name, backorderName: pickings.find((p) => idOf(p.backorder_id) === already.id)?.name, duplicate: false };
    state.recordWrite(key, 'shipment', result);
    return { ...result, duplicate: true };
  }
  const picking = pickings.find((p) => ['assigned', 'confirmed', 'waiting'].includes(p.state));
  if (!picking) {
    if (pickings.length === 0) throw new MasterDataError(`Odoo has no delivery for order ${shipment.orderId}`, { orderId: shipment.orderId });
    throw new SequenceError(`order ${shipment.orderId} has no open delivery in Odoo (${pickings.map((p) => `${p.name} ${p.state}`).join(', ')})`, { orderId: shipment.orderId });
  }

  const moves = [...(await readById(transport, 'stock.move', picking.move_ids, ['picking_id', 'product_id', 'product_uom_qty', 'product_uom', 'state', 'sale_line_id'], MoveRow)).values()].filter(
    (m) => m.state !== 'done' && m.state !== 'cancel',
  );
  const products = await readById(transport, 'product.product', moves.map((m) => idOf(m.product_id) ?? 0), ['default_code'], z.object({ id: z.number(), default_code: z.union([z.literal(false), z.string()]) }));
  const units = await unitsByName(transport, dialect, [...shipment.lines.map((l) => l.uom), ...moves.map((m) => (m.product_uom ? m.product_uom[1] : ''))]);
  const done = new Map<number, number>();
  for (const line of shipment.lines) {
    const move =
      moves.find((m) => line.lineId !== undefined && String(idOf(m.sale_line_id ?? false)) === line.lineId) ??
      moves.find((m) => products.get(idOf(m.product_id) ?? 0)?.default_code === line.sku && !done.has(m.id));
    if (!move) throw new MasterDataError(`shipment ${shipment.shipmentId}: ${line.sku} is not on delivery ${picking.name}`, { sku: line.sku, picking: picking.name });
    const qty = convertUnits(line.quantity, units.get(line.uom)!, units.get(move.product_uom ? move.product_uom[1] : '')!);
    done.set(move.id, new Decimal(done.get(move.id) ?? 0).plus(qty).toNumber());
  }
  for (const move of moves)
    if ((done.get(move.id) ?? 0) > move.product_uom_qty)
      throw new InventoryMismatchError(`shipment ${shipment.shipmentId} ships ${done.get(move.id)} of move ${move.id}, which asks for ${move.product_uom_qty}`, { picking: picking.name });

  for (const move of moves) {
    const vals: Record<string, unknown> = { [dialect.moveDoneQuantity]: done.get(move.id) ?? 0 };
    if (dialect.movePicked) vals.picked = done.has(move.id);
    await transport.call({ model: 'stock.move', method: 'write', ids: [move.id], kwargs: { vals } });
  }
  await transport.call({ model: 'stock.picking', method: 'write', ids: [picking.id], kwargs: { vals: { carrier_tracking_ref: trackingRef } } });
  const context = options.cancelRemainder ? { picking_ids_not_to_backorder: [picking.id] } : { skip_backorder: true };
  const outcome = await transport.call({ model: 'stock.picking', method: 'button_validate', ids: [picking.id], context });
  if (outcome !== true && outcome !== undefined)
    throw new ValidationError(`Odoo answered button_validate on ${picking.name} with a wizard (${(outcome as { res_model?: string }).res_model ?? 'unknown'}) instead of validating`, { picking: picking.name });

  const backorders = parseOrThrow(
    z.array(z.object({ id: z.number(), name: z.string() })),
    await transport.call({ model: 'stock.picking', method: 'search_read', kwargs: { domain: [['backorder_id', '=', picking.id]], fields: ['name'] } }),
    'Odoo backorders',
  );
  const result = { pickingId: picking.id, pickingName: picking.name, backorderName: backorders[0]?.name, duplicate: false };
  state.recordWrite(key, 'shipment', result);
  return result;
}
