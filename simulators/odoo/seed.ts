import { catalogue, openingQuantity, warehouses as warehouseSeed, type CatalogueUnit } from './catalogue';
import type { RecordStore, Row } from './orm/store';

/**
 * A fresh distributor's database: units in four categories, customers in several regions, three
 * warehouses (each with Stock, receipts, deliveries) and a catalogue with opening stock.
 */
export function seed(store: RecordStore, options: { version: number; now: string }): void {
  const { now } = options;
  const put = (model: string, values: Record<string, unknown>): Row =>
    store.insert(model, { create_date: now, write_date: now, create_uid: 1, write_uid: 1, ...values });

  const adminPartner = put('res.partner', { name: 'Mitchell Admin', type: 'contact', active: true, email: 'admin@example.com' });
  put('res.users', { name: 'OdooBot', login: '__system__', active: false, partner_id: adminPartner.id });
  put('res.users', { name: 'Mitchell Admin', login: 'admin', active: true, partner_id: adminPartner.id, tz: 'Europe/Brussels' });

  const countries = Object.fromEntries(
    [['US', 'United States'], ['CA', 'Canada'], ['BE', 'Belgium'], ['DE', 'Germany']].map(([code, name]) => [code, put('res.country', { code, name }).id]),
  );
  const states = Object.fromEntries(
    [['IL', 'Illinois', 'US'], ['TX', 'Texas', 'US'], ['CA', 'California', 'US'], ['NJ', 'New Jersey', 'US'], ['ON', 'Ontario', 'CA']].map(([code, name, country]) => [
      `${country}-${code}`,
      put('res.country.state', { code, name, country_id: countries[country] }).id,
    ]),
  );

  const categories = Object.fromEntries(['Unit', 'Weight', 'Volume', 'Length / Distance'].map((name) => [name, put('uom.category', { name }).id]));
  const uom = (name: string, category: string, factor: number, type: string, rounding: number) =>
    put('uom.uom', { name, category_id: categories[category], factor, uom_type: type, rounding, active: true }).id;
  const units = uom('Units', 'Unit', 1, 'reference', 0.01);
  const dozens = uom('Dozens', 'Unit', 1 / 12, 'bigger', 0.01);
  const caseOf24 = uom('Case of 24', 'Unit', 1 / 24, 'bigger', 1);
  const kg = uom('kg', 'Weight', 1, 'reference', 0.01);
  uom('g', 'Weight', 1000, 'smaller', 0.01);
  const litre = uom('L', 'Volume', 1, 'reference', 0.01);
  const metre = uom('m', 'Length / Distance', 1, 'reference', 0.01);

  // Physical and virtual locations as a fresh Odoo has them.
  const physical = put('stock.location', { name: 'Physical Locations', usage: 'view', active: true }).id;
  const partners = put('stock.location', { name: 'Partners', usage: 'view', active: true }).id;
  const virtual = put('stock.location', { name: 'Virtual Locations', usage: 'view', active: true }).id;
  const customers = put('stock.location', { name: 'Customers', usage: 'customer', location_id: partners, active: true }).id;
  const vendors = put('stock.location', { name: 'Vendors', usage: 'supplier', location_id: partners, active: true }).id;
  put('stock.location', { name: 'Inventory adjustment', usage: 'inventory', location_id: virtual, active: true });

  const warehouses = warehouseSeed.map(({ code, name }, index) => {
    const view = put('stock.location', { name: code, usage: 'view', location_id: physical, active: true }).id;
    const stock = put('stock.location', { name: 'Stock', usage: 'internal', location_id: view, active: true }).id;
    const wh = put('stock.warehouse', { name, code, sequence: 10 + index, lot_stock_id: stock, view_location_id: view, delivery_steps: 'ship_only', active: true });
    store.update('stock.location', view, { warehouse_id: wh.id });
    store.update('stock.location', stock, { warehouse_id: wh.id });
    const type = (name: string, code: string, sequence_code: string, src: number, dest: number) =>
      put('stock.picking.type', { name, code, sequence_code, warehouse_id: wh.id, default_location_src_id: src, default_location_dest_id: dest, create_backorder: 'ask', sequence: 1, active: true }).id;
    const inType = type('Receipts', 'incoming', 'IN', vendors, stock);
    const outType = type('Delivery Orders', 'outgoing', 'OUT', stock, customers);
    store.update('stock.picking.type', inType, { return_picking_type_id: outType });
    store.update('stock.picking.type', outType, { return_picking_type_id: inType });
    store.update('stock.warehouse', wh.id, { in_type_id: inType, out_type_id: outType });
    return { id: wh.id, stock };
  });

  const customersSeed: [string, string, string, string, string, string][] = [
    ['Acme Hardware', '1200 W Fulton St', 'Chicago', '60607', 'US', 'IL'],
    ['Lone Star Supply', '400 Commerce St', 'Dallas', '75202', 'US', 'TX'],
    ['Pacific Tools', '88 Market St', 'San Francisco', '94105', 'US', 'CA'],
    ['Garden State Goods', '1 Riverfront Plaza', 'Newark', '07102', 'US', 'NJ'],
    ['Maple Distribution', '100 King St W', 'Toronto', 'M5X 1A9', 'CA', 'ON'],
    ['Brabant Retail', 'Rue de la Loi 16', 'Brussels', '1000', 'BE', ''],
    ['Rhein Handel GmbH', 'Königsallee 1', 'Düsseldorf', '40212', 'DE', ''],
    ['Prairie Farm Co-op', '55 Main St', 'Springfield', '62701', 'US', 'IL'],
  ];
  for (const [name, street, city, zip, country, state] of customersSeed)
    put('res.partner', {
      name,
      is_company: true,
      type: 'contact',
      street,
      city,
      zip,
      country_id: countries[country],
      state_id: state ? states[`${country}-${state}`] : false,
      email: `orders@${name.toLowerCase().replace(/[^a-z]+/g, '')}.example`,
      active: true,
    });

  const storable = options.version >= 18 ? { type: 'consu', is_storable: true } : { type: 'product', detailed_type: 'product' };
  const uomIds: Record<CatalogueUnit, number> = { Units: units, Dozens: dozens, 'Case of 24': caseOf24, kg, L: litre, m: metre };
  catalogue.forEach(({ code, name, barcode, uom: unit, listPrice, weight }, index) => {
    const uomId = uomIds[unit];
    const tmpl = put('product.template', { name, default_code: code, barcode, uom_id: uomId, uom_po_id: uomId, list_price: listPrice, weight, sale_ok: true, active: true, ...storable });
    const product = put('product.product', { product_tmpl_id: tmpl.id, default_code: code, barcode, active: true });
    warehouses.forEach((wh, whIndex) => {
      const quantity = openingQuantity(index, whIndex);
      put('stock.quant', { product_id: product.id, location_id: wh.stock, quantity, reserved_quantity: 0, inventory_quantity: 0, inventory_quantity_set: false, in_date: now });
    });
  });
  store.setMeta('api_version', String(options.version));
}
