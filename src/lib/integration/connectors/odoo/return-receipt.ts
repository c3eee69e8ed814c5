import { z } from 'zod';
import { parseOrThrow, type Return } from '../../canonical';
import { MasterDataError, SequenceError, ValidationError } from '../../errors';
import { readById } from './lookups';
import type { OdooSyncState } from './sync-state';
import type { OdooTransport } from './transport';
import { convertUnits, unitsByName } from './units';
import type { OdooDialect } from './version';

export interface ReturnReceipt {
  returnPickingId: number;
  returnPickingName: string;
  /** The delivery the goods came back from. */
  originalPickingName: string;
  duplicate: boolean;
}

/** The mark a return picking carries in its source document, so Odoo itself remembers the RMA. */
const rmaMark = (returnId: string) => `[${returnId}]`;

/**
 * Records goods received back: the return wizard (`stock.return.picking`, opened on the done
 * delivery with `active_id`) with the returned quantities on its lines, `create_returns` (17) or
 * `action_create_returns` (18+), then the return picking is validated into stock. The RMA number
 * is appended to the return's source document; a repeat finds it (or the recorded result) and
 * changes nothing.
 */
export async function receiveReturn(transport: OdooTransport, state: OdooSyncState, dialect: OdooDialect, ret: Return): Promise<ReturnReceipt> {
  const key = `odoo:return:${ret.returnId}`;
  const recorded = state.appliedWrite<ReturnReceipt>(key);
  if (recorded) return { ...recorded, duplicate: true };

  const Picking = z.object({ id: z.number(), name: z.string(), state: z.string(), origin: z.union([z.literal(false), z.string()]), return_id: z.union([z.literal(false), z.tuple([z.number(), z.string()])]) });
  const existing = parseOrThrow(
    z.array(Picking),
    await transport.call({ model: 'stock.picking', method: 'search_read', kwargs: { domain: [['origin', 'like', rmaMark(ret.returnId)]], fields: ['name', 'state', 'origin', 'return_id'] } }),
    'Odoo return pickings',
  );
  if (existing[0]) {
    const result = { returnPickingId: existing[0].id, returnPickingName: existing[0].name, originalPickingName: existing[0].return_id ? existing[0].return_id[1] : '', duplicate: false };
    state.recordWrite(key, 'return', result);
    return { ...result, duplicate: true };
  }

  const deliveries = parseOrThrow(
    z.array(Picking),
    await transport.call({
      model: 'stock.picking',
      method: 'search_read',
      kwargs: { domain: [['sale_id.name', '=', ret.orderId], ['picking_type_code', '=', 'outgoing'], ['state', '=', 'done']], fields: ['name', 'state', 'origin', 'return_id'], order: 'id asc' },
    }),
    'Odoo deliveries',
  );
  const delivery = deliveries[0];
  if (!delivery) throw new SequenceError(`order ${ret.orderId} has no done delivery in Odoo to return goods against`, { orderId: ret.orderId });

  const context = { active_id: delivery.id, active_ids: [delivery.id], active_model: 'stock.picking' };
  const wizardId = parseOrThrow(z.number().int(), await transport.call({ model: 'stock.return.picking', method: 'create', kwargs: { vals_list: {} }, context }), 'Odoo return wizard id');
  const Line = z.object({ id: z.number(), product_id: z.tuple([z.number(), z.string()]), uom_id: z.union([z.literal(false), z.tuple([z.number(), z.string()])]) });
  const lines = parseOrThrow(
    z.array(Line),
    await transport.call({ model: 'stock.return.picking.line', method: 'search_read', kwargs: { domain: [['wizard_id', '=', wizardId]], fields: ['product_id', 'uom_id'] } }),
    'Odoo return wizard lines',
  );
  const products = await readById(transport, 'product.product', lines.map((l) => l.product_id[0]), ['default_code'], z.object({ id: z.number(), default_code: z.union([z.literal(false), z.string()]) }));
  const units = await unitsByName(transport, dialect, [...ret.lines.map((l) => l.uom), ...lines.flatMap((l) => (l.uom_id ? [l.uom_id[1]] : []))]);
  const quantities = new Map<number, number>(lines.map((l) => [l.id, 0]));
  for (const returned of ret.lines) {
    const line = lines.find((l) => products.get(l.product_id[0])?.default_code === returned.sku);
    if (!line) throw new MasterDataError(`return ${ret.returnId}: ${returned.sku} was not delivered on ${delivery.name}`, { sku: returned.sku });
    const unit = line.uom_id ? units.get(line.uom_id[1])! : units.get(returned.uom)!;
    quantities.set(line.id, (quantities.get(line.id) ?? 0) + convertUnits(returned.quantity, units.get(returned.uom)!, unit));
  }
  for (const [lineId, quantity] of quantities) await transport.call({ model: 'stock.return.picking.line', method: 'write', ids: [lineId], kwargs: { vals: { quantity } } });

  const action = parseOrThrow(z.object({ res_id: z.number().int() }).passthrough(), await transport.call({ model: 'stock.return.picking', method: dialect.returnMethod, ids: [wizardId], context }), 'Odoo return action');
  const returnPickingId = action.res_id;
  const [created] = parseOrThrow(z.array(Picking.extend({ move_ids: z.array(z.number()) })), await transport.call({ model: 'stock.picking', method: 'read', ids: [returnPickingId], kwargs: { fields: ['name', 'state', 'origin', 'return_id', 'move_ids'] } }), 'Odoo return picking');
  await transport.call({ model: 'stock.picking', method: 'write', ids: [returnPickingId], kwargs: { vals: { origin: `${created.origin || `Return of ${delivery.name}`} ${rmaMark(ret.returnId)}` } } });

  // Receive it: what came back is exactly what the wizard was told.
  const moves = await readById(transport, 'stock.move', created.move_ids, ['product_uom_qty'], z.object({ id: z.number(), product_uom_qty: z.number() }));
  for (const move of moves.values()) {
    const vals: Record<string, unknown> = { [dialect.moveDoneQuantity]: move.product_uom_qty };
    if (dialect.movePicked) vals.picked = true;
    await transport.call({ model: 'stock.move', method: 'write', ids: [move.id], kwargs: { vals } });
  }
  const outcome = await transport.call({ model: 'stock.picking', method: 'button_validate', ids: [returnPickingId], context: { skip_backorder: true } });
  if (outcome !== true && outcome !== undefined) throw new ValidationError(`Odoo answered button_validate on return ${created.name} with a wizard`, { picking: created.name });

  const result = { returnPickingId, returnPickingName: created.name, originalPickingName: delivery.name, duplicate: false };
  state.recordWrite(key, 'return', result);
  return result;
}
