import { create } from '../orm/records';
import type { Row } from '../orm/store';
import type { Env, FieldDef, ModelDef } from '../orm/types';

const char = (string: string, extra: Partial<FieldDef> = {}): FieldDef => ({ type: 'char', string, ...extra });
const m2o = (string: string, relation: string, extra: Partial<FieldDef> = {}): FieldDef => ({ type: 'many2one', string, relation, ...extra });
/** A field delegated to the product template (`_inherits`), readable and searchable on the variant. */
const fromTemplate = (field: FieldDef, name: string): FieldDef => ({
  ...field,
  compute: (env, row) => env.store.get('product.template', row.product_tmpl_id as number)?.[name] ?? false,
});

export function masterDataModels(version: number): ModelDef[] {
  const productTypes: [string, string][] =
    version >= 18 ? [['consu', 'Goods'], ['service', 'Service'], ['combo', 'Combo']] : [['consu', 'Consumable'], ['service', 'Service'], ['product', 'Storable Product']];
  const templateFields: Record<string, FieldDef> = {
    name: char('Name', { required: true }),
    default_code: char('Internal Reference'),
    barcode: char('Barcode'),
    type: { type: 'selection', string: 'Product Type', selection: productTypes, required: true, default: () => 'consu' },
    uom_id: m2o('Unit of Measure', 'uom.uom', { required: true }),
    list_price: { type: 'float', string: 'Sales Price', default: () => 1 },
    weight: { type: 'float', string: 'Weight' },
    sale_ok: { type: 'boolean', string: 'Can be Sold', default: () => true },
    active: { type: 'boolean', string: 'Active', default: () => true },
  };
  if (version <= 18) templateFields.uom_po_id = m2o('Purchase UoM', 'uom.uom');
  if (version >= 18) templateFields.is_storable = { type: 'boolean', string: 'Track Inventory', default: () => false };
  else templateFields.detailed_type = { type: 'selection', string: 'Product Type', selection: productTypes, default: () => 'consu' };

  const variantFields: Record<string, FieldDef> = {
    product_tmpl_id: m2o('Product Template', 'product.template', { required: true }),
    default_code: char('Internal Reference'),
    barcode: char('Barcode'),
    active: { type: 'boolean', string: 'Active', default: () => true },
    qty_available: { type: 'float', string: 'Quantity On Hand', compute: (env, row) => onHand(env, row.id) },
  };
  for (const name of ['name', 'type', 'uom_id', 'list_price', 'weight', 'sale_ok', 'uom_po_id', 'is_storable', 'detailed_type'])
    if (templateFields[name]) variantFields[name] = fromTemplate(templateFields[name], name);

  const uomFields: Record<string, FieldDef> = {
    name: char('Unit of Measure', { required: true }),
    factor: { type: 'float', string: 'Ratio', default: () => 1 },
    factor_inv: { type: 'float', string: 'Bigger Ratio', compute: (_env, row) => 1 / Number(row.factor ?? 1) },
    rounding: { type: 'float', string: 'Rounding Precision', default: () => 0.01 },
    active: { type: 'boolean', string: 'Active', default: () => true },
  };
  if (version <= 18) {
    uomFields.category_id = m2o('Category', 'uom.category', { required: true });
    uomFields.uom_type = { type: 'selection', string: 'Type', selection: [['bigger', 'Bigger than the reference Unit of Measure'], ['reference', 'Reference Unit of Measure for this category'], ['smaller', 'Smaller than the reference Unit of Measure']], default: () => 'reference' };
  } else {
    uomFields.relative_factor = { type: 'float', string: 'Contains', compute: (_env, row) => row.factor_ref ?? 1 };
    uomFields.relative_uom_id = m2o('Reference Unit', 'uom.uom');
  }

  const models: ModelDef[] = [
    {
      name: 'res.users',
      description: 'User',
      order: 'name, login',
      fields: {
        name: char('Name', { required: true }),
        login: char('Login', { required: true }),
        active: { type: 'boolean', string: 'Active', default: () => true },
        partner_id: m2o('Related Partner', 'res.partner'),
        tz: char('Timezone'),
      },
    },
    { name: 'res.country', description: 'Country', order: 'name', fields: { name: char('Country Name', { required: true }), code: char('Country Code') } },
    {
      name: 'res.country.state',
      description: 'Country state',
      order: 'code',
      fields: { name: char('State Name', { required: true }), code: char('State Code', { required: true }), country_id: m2o('Country', 'res.country', { required: true }) },
    },
    {
      name: 'res.partner',
      description: 'Contact',
      order: 'complete_name ASC, id DESC',
      fields: {
        name: char('Name'),
        complete_name: char('Complete Name', { compute: (env, row) => partnerName(env, row) }),
        parent_id: m2o('Related Company', 'res.partner'),
        type: { type: 'selection', string: 'Address Type', selection: [['contact', 'Contact'], ['invoice', 'Invoice Address'], ['delivery', 'Delivery Address'], ['other', 'Other Address']], default: () => 'contact' },
        is_company: { type: 'boolean', string: 'Is a Company' },
        ref: char('Reference'),
        street: char('Street'),
        street2: char('Street2'),
        city: char('City'),
        zip: char('Zip'),
        state_id: m2o('State', 'res.country.state'),
        country_id: m2o('Country', 'res.country'),
        phone: char('Phone'),
        email: char('Email'),
        active: { type: 'boolean', string: 'Active', default: () => true },
      },
      displayName: (env, row) => partnerName(env, row),
    },
    { name: 'uom.category', description: 'Product UoM Categories', order: 'id', fields: { name: char('Unit of Measure Category', { required: true }) } },
    { name: 'uom.uom', description: 'Product Unit of Measure', order: 'factor DESC, id', fields: uomFields },
    {
      name: 'product.template',
      description: 'Product',
      order: 'name',
      fields: templateFields,
      // A template without attributes gets its one variant at once, carrying the internal
      // reference (Odoo's `_create_variant_ids`), so a product an admin creates can be sold.
      afterCreate: (env, row) => {
        create(env, env.models.get('product.product')!, { product_tmpl_id: row.id, default_code: row.default_code ?? false, barcode: row.barcode ?? false, active: row.active !== false });
      },
    },
    {
      name: 'product.product',
      description: 'Product Variant',
      order: 'default_code, name, id',
      fields: variantFields,
      displayName: (env, row) => {
        const name = env.store.get('product.template', row.product_tmpl_id as number)?.name ?? '';
        return row.default_code ? `[${row.default_code}] ${name}` : String(name);
      },
    },
    {
      name: 'stock.location',
      description: 'Inventory Locations',
      order: 'complete_name, id',
      fields: {
        name: char('Location Name', { required: true }),
        complete_name: char('Full Location Name', { compute: (env, row) => locationName(env, row) }),
        location_id: m2o('Parent Location', 'stock.location'),
        usage: { type: 'selection', string: 'Location Type', required: true, default: () => 'internal', selection: [['supplier', 'Vendor Location'], ['view', 'View'], ['internal', 'Internal Location'], ['customer', 'Customer Location'], ['inventory', 'Inventory Loss'], ['production', 'Production'], ['transit', 'Transit Location']] },
        warehouse_id: m2o('Warehouse', 'stock.warehouse'),
        active: { type: 'boolean', string: 'Active', default: () => true },
      },
      displayName: (env, row) => locationName(env, row),
    },
    {
      name: 'stock.warehouse',
      description: 'Warehouse',
      order: 'sequence,id',
      fields: {
        name: char('Warehouse', { required: true }),
        code: char('Short Name', { required: true }),
        sequence: { type: 'integer', string: 'Sequence', default: () => 10 },
        lot_stock_id: m2o('Location Stock', 'stock.location', { required: true }),
        view_location_id: m2o('View Location', 'stock.location', { required: true }),
        in_type_id: m2o('In Type', 'stock.picking.type'),
        out_type_id: m2o('Out Type', 'stock.picking.type'),
        delivery_steps: { type: 'selection', string: 'Outgoing Shipments', selection: [['ship_only', 'Deliver (1 step)'], ['pick_ship', 'Pick then Deliver (2 steps)'], ['pick_pack_ship', 'Pick, Pack, then Deliver (3 steps)']], default: () => 'ship_only' },
        partner_id: m2o('Address', 'res.partner'),
        active: { type: 'boolean', string: 'Active', default: () => true },
      },
    },
    {
      name: 'stock.picking.type',
      description: 'Picking Type',
      order: 'sequence, id',
      fields: {
        name: char('Operation Type', { required: true }),
        code: { type: 'selection', string: 'Type of Operation', required: true, selection: [['incoming', 'Receipt'], ['outgoing', 'Delivery'], ['internal', 'Internal Transfer']] },
        sequence: { type: 'integer', string: 'Sequence', default: () => 1 },
        sequence_code: char('Sequence Prefix', { required: true }),
        warehouse_id: m2o('Warehouse', 'stock.warehouse'),
        default_location_src_id: m2o('Default Source Location', 'stock.location'),
        default_location_dest_id: m2o('Default Destination Location', 'stock.location'),
        return_picking_type_id: m2o('Operation Type for Returns', 'stock.picking.type'),
        create_backorder: { type: 'selection', string: 'Create Backorder', selection: [['ask', 'Ask'], ['always', 'Always'], ['never', 'Never']], default: () => 'ask' },
        active: { type: 'boolean', string: 'Active', default: () => true },
      },
      displayName: (env, row) => {
        const wh = row.warehouse_id ? env.store.get('stock.warehouse', row.warehouse_id as number) : undefined;
        return wh ? `${wh.name}: ${row.name}` : String(row.name);
      },
    },
  ];
  return models;
}

function partnerName(env: Env, row: Row): string {
  const parent = row.parent_id ? env.store.get('res.partner', row.parent_id as number) : undefined;
  if (!parent) return String(row.name ?? '');
  return row.name ? `${parent.name}, ${row.name}` : String(parent.name);
}

function locationName(env: Env, row: Row): string {
  const parent = row.location_id ? env.store.get('stock.location', row.location_id as number) : undefined;
  if (!parent || row.usage === 'view') return String(row.name);
  return `${locationName(env, parent)}/${row.name}`;
}

/** On hand in internal locations, as `qty_available` computes it without a location in context. */
function onHand(env: Env, productId: number): number {
  let total = 0;
  for (const quant of env.store.rows('stock.quant')) {
    if (quant.product_id !== productId) continue;
    if (env.store.get('stock.location', quant.location_id as number)?.usage === 'internal') total += Number(quant.quantity ?? 0);
  }
  return total;
}

