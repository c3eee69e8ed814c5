import type { WarehouseCode } from './catalogue';
import type { OdooInstance } from './instance';
import type { RecordStore, Row } from './orm/store';

/** How many orders per hour the generator aims for at each hour of the warehouse day (local time). */
export interface GeneratorOptions {
  /** Orders per hour at the quietest working hour; peaks are multiples of it. */
  baseOrdersPerHour: number;
  /** UTC offset of the distribution day, in hours (e.g. -6 for Chicago). */
  utcOffsetHours?: number;
  /** How often the generator runs, in ms. */
  tickMs?: number;
}

/**
 * The shape of a distribution day: quiet overnight, a morning ramp, a peak before the 11:00
 * carrier cut-off, a lull at lunch and the biggest peak before the 15:00 last cut-off.
 */
export const dayCurve = [0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1, 1.6, 2.2, 3, 3.4, 1.2, 1.5, 2.6, 4, 1.4, 0.8, 0.5, 0.4, 0.3, 0.2, 0.1, 0.1];

export function ordersPerHourAt(date: Date, options: GeneratorOptions): number {
  const hour = (date.getUTCHours() + (options.utcOffsetHours ?? 0) + 24) % 24;
  return options.baseOrdersPerHour * dayCurve[hour];
}

/**
 * Which warehouse ships to which region, as a multi-warehouse Odoo with one warehouse per region
 * is set up (and as config/topology routes orders, so the delivery Odoo reserves is in the
 * warehouse the runtime sends the order to). The first row whose country and, where given,
 * state match wins; a region no row names ships from Chicago, the national fallback.
 */
export const warehouseForRegion: readonly { country: string; state?: string; warehouse: WarehouseCode }[] = [
  { country: 'US', state: 'IL', warehouse: 'WH' },
  { country: 'CA', warehouse: 'WH' },
  { country: 'US', state: 'TX', warehouse: 'DAL' },
  { country: 'US', state: 'CA', warehouse: 'DAL' },
  { country: 'US', state: 'NJ', warehouse: 'NJ3' },
  { country: 'BE', warehouse: 'NJ3' },
  { country: 'DE', warehouse: 'NJ3' },
];

const fallbackWarehouse: WarehouseCode = 'WH';

/** The warehouse code for a ship-to country and state code (ISO 3166, as Odoo stores them). */
export function regionalWarehouse(country: string | undefined, state: string | undefined): WarehouseCode {
  return warehouseForRegion.find((r) => r.country === country && (r.state === undefined || r.state === state))?.warehouse ?? fallbackWarehouse;
}

/** The `stock.warehouse` row that ships to this customer's address. */
function warehouseFor(store: RecordStore, customer: Row): Row {
  const code = (model: string, id: unknown) => (typeof id === 'number' ? (store.get(model, id)?.code as string | undefined) : undefined);
  const wanted = regionalWarehouse(code('res.country', customer.country_id), code('res.country.state', customer.state_id));
  const all = [...store.rows('stock.warehouse')];
  return all.find((w) => w.code === wanted) ?? all[0];
}

/** Creates one released order (confirmed, so its delivery exists) through the ORM, as a salesperson would. */
export function createOrder(odoo: OdooInstance, random: () => number = Math.random): string {
  const customers = [...odoo.store.rows('res.partner')].filter((p) => p.is_company);
  const products = [...odoo.store.rows('product.product')].filter((p) => p.active !== false);
  const customer = customers[Math.floor(random() * customers.length)];
  const lines = 1 + Math.floor(random() * 4);
  const picked = [...products].sort(() => random() - 0.5).slice(0, lines);
  const model = odoo.model('sale.order');
  const id = odoo.execute(odoo.uid, model, 'create', {
    kind: 'rpc',
    args: [
      {
        partner_id: customer.id,
        warehouse_id: warehouseFor(odoo.store, customer).id,
        client_order_ref: `PO-${Math.floor(random() * 900_000 + 100_000)}`,
        order_line: picked.map((p) => [0, 0, { product_id: p.id, product_uom_qty: 1 + Math.floor(random() * 10) }]),
      },
    ],
    kwargs: {},
  }) as number;
  odoo.execute(odoo.uid, model, 'action_confirm', { kind: 'rpc', args: [[id]], kwargs: {} });
  return String(odoo.store.get('sale.order', id)!.name);
}

/** Starts generating orders along the day curve; returns a function that stops it. */
export function startGenerator(odoo: OdooInstance, options: GeneratorOptions): () => void {
  const tickMs = options.tickMs ?? 5_000;
  let owed = 0;
  const timer = setInterval(() => {
    // Fractions of an order carry over to the next tick, so low rates still produce orders on time.
    owed += (ordersPerHourAt(new Date(), options) * tickMs) / 3_600_000;
    // (The epsilon keeps float sums such as 3 × 1/3 from falling just short of a whole order.)
    for (; owed >= 1 - 1e-9; owed -= 1) createOrder(odoo);
  }, tickMs);
  timer.unref();
  return () => clearInterval(timer);
}
