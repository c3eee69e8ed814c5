import { userError } from '../errors';
import { existing, touch } from '../orm/records';
import { nextSequence } from '../orm/sequence';
import type { Env, FieldDef, ModelDef } from '../orm/types';
import { createDeliveryFor } from './stock-operations';

const m2o = (string: string, relation: string, extra: Partial<FieldDef> = {}): FieldDef => ({ type: 'many2one', string, relation, ...extra });

/** `SALE_ORDER_STATE` (17/18/19): `done` is gone since 17; `locked` replaces it. */
export const saleStates: [string, string][] = [
  ['draft', 'Quotation'],
  ['sent', 'Quotation Sent'],
  ['sale', 'Sales Order'],
  ['cancel', 'Cancelled'],
];

/** The line's unit field: `product_uom` until 18, `product_uom_id` from 19. */
export const lineUomField = (version: number) => (version >= 19 ? 'product_uom_id' : 'product_uom');

export function saleModels(version: number): ModelDef[] {
  const uomField = lineUomField(version);
  const order: ModelDef = {
    name: 'sale.order',
    description: 'Sales Order',
    order: 'date_order desc, id desc',
    fields: {
      name: { type: 'char', string: 'Order Reference', required: true, readonly: true, default: () => 'New' },
      state: { type: 'selection', string: 'Status', selection: saleStates, readonly: true, default: () => 'draft' },
      locked: { type: 'boolean', string: 'Locked', default: () => false },
      partner_id: m2o('Customer', 'res.partner', { required: true }),
      partner_invoice_id: m2o('Invoice Address', 'res.partner', { default: (_env, vals) => vals.partner_id ?? false }),
      partner_shipping_id: m2o('Delivery Address', 'res.partner', { required: true, default: (_env, vals) => vals.partner_id ?? false }),
      client_order_ref: { type: 'char', string: 'Customer Reference' },
      date_order: { type: 'datetime', string: 'Order Date', required: true, default: (env) => env.now },
      commitment_date: { type: 'datetime', string: 'Delivery Date' },
      effective_date: { type: 'datetime', string: 'Effective Date', readonly: true },
      order_line: { type: 'one2many', string: 'Order Lines', relation: 'sale.order.line', inverse: 'order_id' },
      warehouse_id: m2o('Warehouse', 'stock.warehouse', { required: version <= 17, default: (env) => firstId(env, 'stock.warehouse') }),
      picking_ids: { type: 'one2many', string: 'Transfers', relation: 'stock.picking', inverse: 'sale_id' },
      delivery_status: { type: 'selection', string: 'Delivery Status', readonly: true, selection: [['pending', 'Not Delivered'], ['started', 'Started'], ['partial', 'Partially Delivered'], ['full', 'Fully Delivered']] },
      picking_policy: { type: 'selection', string: 'Shipping Policy', required: true, selection: [['direct', 'As soon as possible'], ['one', 'When all products are ready']], default: () => 'direct' },
      user_id: m2o('Salesperson', 'res.users', { default: (env) => env.uid }),
      note: { type: 'text', string: 'Terms and conditions' },
      amount_total: {
        type: 'monetary',
        string: 'Total',
        compute: (env, row) => {
          let total = 0;
          for (const line of env.store.rows('sale.order.line')) if (line.order_id === row.id) total += Number(line.product_uom_qty) * Number(line.price_unit);
          return Math.round(total * 100) / 100;
        },
      },
    },
    afterCreate: (env, row) => {
      if (row.name === 'New') env.store.update('sale.order', row.id, { name: nextSequence(env, 'S') });
      env.counters.ordersCreated++;
    },
    methods: {
      action_confirm: {
        api: 'record',
        params: [],
        run: (env, ids) => {
          const orders = existing(env, order, ids, 'write');
          for (const so of orders) {
            if (so.state !== 'draft' && so.state !== 'sent') throw userError('Some orders are not in a state requiring confirmation.');
            const lines = [...env.store.rows('sale.order.line')].filter((l) => l.order_id === so.id);
            if (lines.some((l) => !l.display_type && !l.product_id)) throw userError('A line on these orders missing a product, you cannot confirm it.');
          }
          for (const so of orders) {
            touch(env, 'sale.order', so.id, { state: 'sale', date_order: env.now });
            createDeliveryFor(env, so.id, uomField);
            env.counters.ordersConfirmed++;
          }
          return true;
        },
      },
      action_cancel: {
        api: 'record',
        params: [],
        run: (env, ids) => {
          const orders = existing(env, order, ids, 'write');
          if (orders.some((so) => so.locked)) throw userError('You cannot cancel a locked order. Please unlock it first.');
          if (!env.context.disable_cancel_warning && orders.some((so) => so.state !== 'draft'))
            return {
              name: 'Cancel Sales Order',
              view_mode: 'form',
              res_model: 'sale.order.cancel',
              view_id: false,
              type: 'ir.actions.act_window',
              target: 'new',
              context: { default_order_id: orders[0].id },
            };
          for (const so of orders) {
            touch(env, 'sale.order', so.id, { state: 'cancel' });
            for (const picking of env.store.rows('stock.picking'))
              if (picking.sale_id === so.id && picking.state !== 'done') touch(env, 'stock.picking', picking.id, { state: 'cancel' });
          }
          return true;
        },
      },
      action_draft: {
        api: 'record',
        params: [],
        run: (env, ids) => {
          for (const so of existing(env, order, ids, 'write'))
            if (so.state === 'cancel' || so.state === 'sent') touch(env, 'sale.order', so.id, { state: 'draft' });
          return true;
        },
      },
      // Both return None in Odoo, so the JSON-RPC envelope carries no `result` key.
      action_lock: { api: 'record', params: [], run: (env, ids) => void existing(env, order, ids, 'write').forEach((so) => touch(env, 'sale.order', so.id, { locked: true })) },
      action_unlock: { api: 'record', params: [], run: (env, ids) => void existing(env, order, ids, 'write').forEach((so) => touch(env, 'sale.order', so.id, { locked: false })) },
    },
  };

  const line: ModelDef = {
    name: 'sale.order.line',
    description: 'Sales Order Line',
    order: 'order_id, sequence, id',
    fields: {
      order_id: m2o('Order Reference', 'sale.order', { required: true }),
      sequence: { type: 'integer', string: 'Sequence', default: () => 10 },
      display_type: { type: 'selection', string: 'Display Type', selection: [['line_section', 'Section'], ['line_note', 'Note']] },
      product_id: m2o('Product', 'product.product'),
      name: { type: 'text', string: 'Description', default: (env, vals) => productName(env, vals.product_id) },
      product_uom_qty: { type: 'float', string: 'Quantity', default: () => 1 },
      [uomField]: m2o('Unit of Measure', 'uom.uom', { default: (env, vals) => productUom(env, vals.product_id) }),
      qty_delivered: { type: 'float', string: 'Delivery Quantity' },
      price_unit: { type: 'float', string: 'Unit Price', default: (env, vals) => productPrice(env, vals.product_id) },
      state: { type: 'selection', string: 'Order Status', selection: saleStates, compute: (env, row) => env.store.get('sale.order', row.order_id as number)?.state ?? false },
      move_ids: { type: 'one2many', string: 'Stock Moves', relation: 'stock.move', inverse: 'sale_line_id' },
    },
    displayName: (env, row) => `${env.store.get('sale.order', row.order_id as number)?.name} - ${row.name}`,
  };
  return [order, line];
}

function firstId(env: Env, model: string): number | false {
  for (const row of env.store.rows(model)) if (row.active !== false) return row.id;
  return false;
}

function template(env: Env, productId: unknown) {
  const product = typeof productId === 'number' ? env.store.get('product.product', productId) : undefined;
  return product ? { product, tmpl: env.store.get('product.template', product.product_tmpl_id as number)! } : undefined;
}
const productName = (env: Env, id: unknown) => {
  const p = template(env, id);
  if (!p) return false;
  return p.product.default_code ? `[${p.product.default_code}] ${p.tmpl.name}` : String(p.tmpl.name);
};
const productUom = (env: Env, id: unknown) => template(env, id)?.tmpl.uom_id ?? false;
const productPrice = (env: Env, id: unknown) => template(env, id)?.tmpl.list_price ?? 0;
