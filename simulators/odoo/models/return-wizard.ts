import { userError } from '../errors';
import { existing, touch } from '../orm/records';
import type { Row } from '../orm/store';
import type { Env, FieldDef, ModelDef } from '../orm/types';
import { assignMoves, movesOf, newMove, newPicking, recomputePickingState } from './stock-operations';

const m2o = (string: string, relation: string, extra: Partial<FieldDef> = {}): FieldDef => ({ type: 'many2one', string, relation, ...extra });

/**
 * The return wizard (`stock.return.picking`): created with `active_id` = a done picking, it
 * proposes one line per done move; `create_returns` (17) or `action_create_returns` (18+) makes
 * the return picking, confirmed and assigned, with `return_id` and origin "Return of <name>".
 */
export function returnModels(version: number): ModelDef[] {
  const wizard: ModelDef = {
    name: 'stock.return.picking',
    description: 'Return Picking',
    order: 'id',
    fields: {
      picking_id: m2o('Picking', 'stock.picking', { default: (env) => (env.context.active_model === 'stock.picking' ? Number(env.context.active_id) || false : false) }),
      product_return_moves: { type: 'one2many', string: 'Moves', relation: 'stock.return.picking.line', inverse: 'wizard_id' },
      location_id: m2o('Return Location', 'stock.location'),
    },
    afterCreate: (env, row, vals) => {
      const picking = env.store.get('stock.picking', row.picking_id as number);
      if (!picking) throw userError('Please specify at least one non-zero quantity.');
      if (picking.state !== 'done') throw userError('You may only return Done pickings.');
      if (!row.location_id) env.store.update('stock.return.picking', row.id, { location_id: picking.location_id });
      if (vals.product_return_moves) return;
      for (const move of movesOf(env, picking.id).filter((m) => m.state === 'done')) {
        const returned = [...env.store.rows('stock.move')]
          .filter((m) => m.origin_returned_move_id === move.id && m.state !== 'cancel')
          .reduce((sum, m) => sum + Number(m.product_uom_qty), 0);
        env.store.insert('stock.return.picking.line', {
          wizard_id: row.id,
          product_id: move.product_id,
          move_id: move.id,
          uom_id: move.product_uom,
          // 18 changed the proposal to zero: the caller states what came back.
          quantity: version >= 18 ? 0 : Math.max(0, Number(move.quantity) - returned),
        });
      }
    },
    methods: {
      [version >= 18 ? 'action_create_returns' : 'create_returns']: {
        api: 'record',
        params: [],
        run: (env, ids) => {
          const [row] = existing(env, wizard, ids.slice(0, 1), 'read');
          const pickingId = createReturn(env, row);
          return {
            name: 'Returned Picking',
            view_mode: 'form',
            res_model: 'stock.picking',
            res_id: pickingId,
            type: 'ir.actions.act_window',
            context: { ...env.context },
          };
        },
      },
    },
  };
  const line: ModelDef = {
    name: 'stock.return.picking.line',
    description: 'Return Picking Line',
    order: 'id',
    fields: {
      wizard_id: m2o('Wizard', 'stock.return.picking'),
      product_id: m2o('Product', 'product.product', { required: true }),
      quantity: { type: 'float', string: 'Quantity', required: true, default: () => 0 },
      move_id: m2o('Move', 'stock.move'),
      uom_id: m2o('Unit of Measure', 'uom.uom'),
    },
  };
  return [wizard, line];
}

function createReturn(env: Env, wizard: Row): number {
  const lines = [...env.store.rows('stock.return.picking.line')].filter((l) => l.wizard_id === wizard.id && Number(l.quantity) > 0);
  if (lines.length === 0) throw userError('Please specify at least one non-zero quantity.');
  const original = env.store.get('stock.picking', wizard.picking_id as number)!;
  const type = env.store.get('stock.picking.type', original.picking_type_id as number)!;
  const returnType = (type.return_picking_type_id as number) || type.id;
  const picking = newPicking(env, returnType, {
    origin: `Return of ${original.name}`,
    return_id: original.id,
    sale_id: original.sale_id ?? false,
    partner_id: original.partner_id ?? false,
    location_id: original.location_dest_id,
    location_dest_id: wizard.location_id || original.location_id,
  });
  const moves = lines.map((l) => {
    const origin = env.store.get('stock.move', l.move_id as number);
    return newMove(env, picking, {
      name: origin?.name ?? '/',
      product_id: l.product_id,
      product_uom: l.uom_id || origin?.product_uom,
      product_uom_qty: Number(l.quantity),
      origin_returned_move_id: l.move_id || false,
      sale_line_id: origin?.sale_line_id ?? false,
    });
  });
  assignMoves(env, moves);
  recomputePickingState(env, picking.id);
  touch(env, 'stock.picking', original.id, {});
  env.counters.returnsCreated++;
  return picking.id;
}
