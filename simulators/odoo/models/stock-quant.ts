import { userError } from '../errors';
import { genericMethods } from '../orm/generic-methods';
import { create, existing, touch } from '../orm/records';
import type { Env, FieldDef, ModelDef } from '../orm/types';
import { updateQuant } from './stock-operations';

const m2o = (string: string, relation: string, extra: Partial<FieldDef> = {}): FieldDef => ({ type: 'many2one', string, relation, ...extra });

/** Fields a user may set on a quant in inventory mode (`_get_inventory_fields_create/write`). */
const inventoryFields = new Set(['product_id', 'location_id', 'lot_id', 'package_id', 'owner_id', 'inventory_quantity', 'inventory_date', 'user_id', 'inventory_quantity_auto_apply']);
const restricted = () => userError("Quant's editing is restricted, you can't do this operation.");

/**
 * `stock.quant`: on-hand stock per product and location. Stock is counted through inventory mode:
 * `create` with `inventory_mode` reuses the quant of the same product and location, and
 * `action_apply_inventory` books the difference through an inventory-adjustment move.
 */
export function quantModel(): ModelDef {
  const quant: ModelDef = {
    name: 'stock.quant',
    description: 'Quants',
    order: 'id',
    fields: {
      product_id: m2o('Product', 'product.product', { required: true }),
      location_id: m2o('Location', 'stock.location', { required: true }),
      quantity: { type: 'float', string: 'Quantity', readonly: true },
      reserved_quantity: { type: 'float', string: 'Reserved Quantity', readonly: true },
      available_quantity: { type: 'float', string: 'Available Quantity', compute: (_env, row) => Number(row.quantity ?? 0) - Number(row.reserved_quantity ?? 0) },
      inventory_quantity: { type: 'float', string: 'Counted Quantity' },
      inventory_diff_quantity: {
        type: 'float',
        string: 'Difference',
        compute: (_env, row) => (row.inventory_quantity_set ? Number(row.inventory_quantity) - Number(row.quantity) : 0),
      },
      inventory_quantity_set: { type: 'boolean', string: 'Inventory Quantity Set' },
      inventory_date: { type: 'date', string: 'Scheduled Date' },
      user_id: m2o('Assigned To', 'res.users'),
      in_date: { type: 'datetime', string: 'Incoming Date', readonly: true, default: (env) => env.now },
    },
    displayName: (env, row) => String(env.store.get('stock.location', row.location_id as number)?.name ?? ''),
    methods: {
      create: {
        ...genericMethods.create,
        run: (env, _ids, kw) => {
          const list = Array.isArray(kw.vals_list) ? (kw.vals_list as Record<string, unknown>[]) : [kw.vals_list as Record<string, unknown>];
          const ids = list.map((vals) => createQuant(env, quant, vals));
          return Array.isArray(kw.vals_list) ? ids : ids[0];
        },
      },
      write: {
        ...genericMethods.write,
        run: (env, ids, kw) => {
          const vals = kw.vals as Record<string, unknown>;
          if (!env.context.inventory_mode || Object.keys(vals).some((k) => !inventoryFields.has(k))) throw restricted();
          for (const row of existing(env, quant, ids, 'write'))
            touch(env, 'stock.quant', row.id, { ...vals, ...('inventory_quantity' in vals ? { inventory_quantity_set: true } : {}) });
          return true;
        },
      },
      action_apply_inventory: {
        api: 'record',
        params: [],
        run: (env, ids) => {
          for (const row of existing(env, quant, ids, 'write')) {
            if (!row.inventory_quantity_set) continue;
            const diff = Number(row.inventory_quantity) - Number(row.quantity);
            bookAdjustment(env, row.product_id as number, row.location_id as number, diff);
            touch(env, 'stock.quant', row.id, { inventory_quantity: 0, inventory_quantity_set: false, inventory_date: env.now.slice(0, 10) });
            env.counters.quantsAdjusted++;
          }
          // Applied directly, Odoo returns None: the JSON-RPC envelope has no `result`.
          return undefined;
        },
      },
    },
  };
  return quant;
}

function createQuant(env: Env, model: ModelDef, vals: Record<string, unknown>): number {
  if (!env.context.inventory_mode) throw userError("Quant's creation is restricted, you can't do this operation.");
  if (Object.keys(vals).some((k) => !inventoryFields.has(k))) throw restricted();
  for (const row of env.store.rows('stock.quant'))
    if (row.product_id === vals.product_id && row.location_id === vals.location_id) {
      if ('inventory_quantity' in vals) touch(env, 'stock.quant', row.id, { inventory_quantity: Number(vals.inventory_quantity), inventory_quantity_set: true });
      return row.id;
    }
  const id = create(env, model, { product_id: vals.product_id, location_id: vals.location_id, quantity: 0, reserved_quantity: 0 });
  if ('inventory_quantity' in vals) touch(env, 'stock.quant', id, { inventory_quantity: Number(vals.inventory_quantity), inventory_quantity_set: true });
  return id;
}

/** A done move between the quant's location and Virtual Locations/Inventory adjustment. */
function bookAdjustment(env: Env, productId: number, locationId: number, diff: number): void {
  if (diff === 0) return;
  const adjustment = [...env.store.rows('stock.location')].find((l) => l.usage === 'inventory')!;
  const product = env.store.get('product.product', productId)!;
  const uom = env.store.get('product.template', product.product_tmpl_id as number)!.uom_id;
  env.store.insert('stock.move', {
    name: 'Product Quantity Updated',
    product_id: productId,
    product_uom: uom,
    product_uom_qty: Math.abs(diff),
    quantity: Math.abs(diff),
    picked: true,
    state: 'done',
    location_id: diff > 0 ? adjustment.id : locationId,
    location_dest_id: diff > 0 ? locationId : adjustment.id,
    picking_id: false,
    date: env.now,
    create_date: env.now,
    write_date: env.now,
    create_uid: env.uid,
    write_uid: env.uid,
  });
  updateQuant(env, productId, locationId, diff);
}
