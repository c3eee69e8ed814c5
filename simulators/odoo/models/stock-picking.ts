import { userError } from '../errors';
import { existing, touch } from '../orm/records';
import type { Env, FieldDef, ModelDef } from '../orm/types';
import { buttonValidate } from './picking-validation';
import { assignMoves, movesOf, recomputePickingState, unreserve } from './stock-operations';

const m2o = (string: string, relation: string, extra: Partial<FieldDef> = {}): FieldDef => ({ type: 'many2one', string, relation, ...extra });

const pickingStates: [string, string][] = [
  ['draft', 'Draft'],
  ['waiting', 'Waiting Another Operation'],
  ['confirmed', 'Waiting'],
  ['assigned', 'Ready'],
  ['done', 'Done'],
  ['cancel', 'Cancelled'],
];
const moveStates: [string, string][] = [
  ['draft', 'New'],
  ['waiting', 'Waiting Another Move'],
  ['confirmed', 'Waiting Availability'],
  ['partially_available', 'Partially Available'],
  ['assigned', 'Available'],
  ['done', 'Done'],
  ['cancel', 'Cancelled'],
];

export function stockModels(version: number): ModelDef[] {
  const pickingFields: Record<string, FieldDef> = {
    name: { type: 'char', string: 'Reference', default: () => '/' },
    origin: { type: 'char', string: 'Source Document' },
    state: { type: 'selection', string: 'Status', selection: pickingStates, readonly: true, default: () => 'draft' },
    picking_type_id: m2o('Operation Type', 'stock.picking.type', { required: true }),
    picking_type_code: {
      type: 'selection',
      string: 'Type of Operation',
      selection: [['incoming', 'Receipt'], ['outgoing', 'Delivery'], ['internal', 'Internal Transfer']],
      compute: (env, row) => env.store.get('stock.picking.type', row.picking_type_id as number)?.code ?? false,
    },
    location_id: m2o('Source Location', 'stock.location', { required: true }),
    location_dest_id: m2o('Destination Location', 'stock.location', { required: true }),
    partner_id: m2o('Contact', 'res.partner'),
    scheduled_date: { type: 'datetime', string: 'Scheduled Date', default: (env) => env.now },
    date_deadline: { type: 'datetime', string: 'Deadline' },
    date_done: { type: 'datetime', string: 'Date of Transfer', readonly: true },
    move_ids: { type: 'one2many', string: 'Stock Moves', relation: 'stock.move', inverse: 'picking_id' },
    sale_id: m2o('Sales Order', 'sale.order'),
    carrier_tracking_ref: { type: 'char', string: 'Tracking Reference' },
    backorder_id: m2o('Back Order of', 'stock.picking'),
    return_id: m2o('Return of', 'stock.picking'),
    return_ids: { type: 'one2many', string: 'Received Returns', relation: 'stock.picking', inverse: 'return_id' },
    move_type: { type: 'selection', string: 'Shipping Policy', required: true, selection: [['direct', 'As soon as possible'], ['one', 'When all products are ready']], default: () => 'direct' },
    priority: { type: 'selection', string: 'Priority', selection: [['0', 'Normal'], ['1', 'Urgent']], default: () => '0' },
  };
  // A UI subset of move_ids in 17/18 (no packages here, so the same moves); removed in 19.
  if (version <= 18) pickingFields.move_ids_without_package = { type: 'one2many', string: 'Stock moves not in package', relation: 'stock.move', inverse: 'picking_id' };

  const picking: ModelDef = {
    name: 'stock.picking',
    description: 'Transfer',
    order: 'priority desc, scheduled_date asc, id desc',
    fields: pickingFields,
    methods: {
      action_confirm: {
        api: 'record',
        params: [],
        run: (env, ids) => {
          for (const p of existing(env, picking, ids, 'write')) {
            const moves = movesOf(env, p.id).filter((m) => m.state === 'draft');
            for (const m of moves) touch(env, 'stock.move', m.id, { state: 'confirmed' });
            assignMoves(env, movesOf(env, p.id));
            recomputePickingState(env, p.id);
          }
          return true;
        },
      },
      action_assign: {
        api: 'record',
        params: [],
        run: (env, ids) => {
          const pickings = existing(env, picking, ids, 'write');
          const moves = pickings.flatMap((p) => movesOf(env, p.id)).filter((m) => ['confirmed', 'waiting', 'partially_available'].includes(String(m.state)));
          if (moves.length === 0) throw userError('Nothing to check the availability for.');
          assignMoves(env, moves);
          for (const p of pickings) recomputePickingState(env, p.id);
          return true;
        },
      },
      action_cancel: {
        api: 'record',
        params: [],
        run: (env, ids) => {
          for (const p of existing(env, picking, ids, 'write')) {
            for (const m of movesOf(env, p.id))
              if (m.state !== 'done') {
                unreserve(env, m);
                touch(env, 'stock.move', m.id, { state: 'cancel', quantity: 0 });
              }
            recomputePickingState(env, p.id);
          }
          return true;
        },
      },
      button_validate: {
        api: 'record',
        params: [],
        run: (env, ids) => buttonValidate(env, existing(env, picking, ids, 'write')),
      },
    },
  };

  const move: ModelDef = {
    name: 'stock.move',
    description: 'Stock Move',
    order: 'sequence, id',
    fields: {
      name: { type: 'char', string: 'Description', default: () => '/' },
      sequence: { type: 'integer', string: 'Sequence', default: () => 10 },
      state: { type: 'selection', string: 'Status', selection: moveStates, readonly: true, default: () => 'draft' },
      picking_id: m2o('Transfer', 'stock.picking'),
      product_id: m2o('Product', 'product.product', { required: true }),
      product_uom_qty: { type: 'float', string: 'Demand', required: true, default: () => 0 },
      quantity: { type: 'float', string: 'Quantity' },
      picked: { type: 'boolean', string: 'Picked' },
      product_uom: m2o('UoM', 'uom.uom', { required: true }),
      product_qty: {
        type: 'float',
        string: 'Real Quantity',
        compute: (env, row) => {
          const product = env.store.get('product.product', row.product_id as number);
          const tmpl = product && env.store.get('product.template', product.product_tmpl_id as number);
          if (!tmpl) return row.product_uom_qty;
          const from = env.store.get('uom.uom', row.product_uom as number)!;
          const to = env.store.get('uom.uom', tmpl.uom_id as number)!;
          return (Number(row.product_uom_qty) / Number(from.factor)) * Number(to.factor);
        },
      },
      location_id: m2o('Source Location', 'stock.location', { required: true }),
      location_dest_id: m2o('Destination Location', 'stock.location', { required: true }),
      sale_line_id: m2o('Sale Line', 'sale.order.line'),
      origin_returned_move_id: m2o('Origin return move', 'stock.move'),
      date: { type: 'datetime', string: 'Date Scheduled', default: (env: Env) => env.now },
      reference: { type: 'char', string: 'Reference', compute: (env, row) => env.store.get('stock.picking', row.picking_id as number)?.name ?? row.name },
      origin: { type: 'char', string: 'Source Document' },
    },
  };
  return [picking, move];
}
