import { z } from 'zod';
import { regionalWarehouse } from '../odoo/generator';
import type { WarehouseControl } from './control-clients';
import { Many2one, type OdooRpc } from './odoo-rpc';
import type { IncidentKind, ScheduledIncident } from './schedule';

/** What an incident acts on. */
export interface IncidentContext {
  rpc: OdooRpc;
  warehouses: ReadonlyMap<string, WarehouseControl>;
  random: () => number;
}

/** One occurrence about to start. */
export interface IncidentOccurrence {
  entry: ScheduledIncident;
  /** How long it lasts in real time, for faults that end by themselves. */
  windowMs: number;
}

/** A started incident: what happened, and how to put things back. */
export interface StartedIncident {
  said: string;
  end(): Promise<string>;
}

type IncidentAction = (context: IncidentContext, occurrence: IncidentOccurrence) => Promise<StartedIncident>;

function warehouseOf(context: IncidentContext, entry: ScheduledIncident): WarehouseControl {
  const warehouse = entry.warehouse ? context.warehouses.get(entry.warehouse) : undefined;
  if (!warehouse) throw new Error(`${entry.incident} needs warehouse ${entry.warehouse ?? '(none named)'}, which the generator was not given`);
  return warehouse;
}

/** An incident that is a simulator fault switched on for a window and off again. */
const faultWindow =
  (on: (windowMs: number) => Record<string, unknown>, off: Record<string, unknown>, said: (id: string) => string, over: (id: string) => string): IncidentAction =>
  async (context, { entry, windowMs }) => {
    const warehouse = warehouseOf(context, entry);
    await warehouse.faults(on(windowMs));
    return {
      said: said(warehouse.id),
      async end() {
        await warehouse.faults(off);
        return over(warehouse.id);
      },
    };
  };

/** The retry delay the rate-limited WMS asks for, in real seconds. */
const RETRY_AFTER_SECONDS = 5;
/** How often a duplicated webhook arrives during a storm. */
const STORM_COPIES = 5;

/** What each incident does. Every one is undone by its `end`, and by the generator's stop. */
export const incidentActions: Record<IncidentKind, IncidentAction> = {
  'unknown-sku': unknownSku,

  async 'short-shipment'(context, occurrence) {
    const warehouse = warehouseOf(context, occurrence.entry);
    await warehouse.faults({ shortShipRate: 1 });
    // Ship one waiting order short at once, so the incident shows even in a quiet hour.
    const snapshot = await warehouse.snapshot();
    const waiting = [...snapshot.orders].find(([, stage]) => stage === 'acknowledged')?.[0];
    if (waiting) await warehouse.fulfil(waiting, true);
    return {
      said: `short shipment: ${warehouse.id} ships every order short (last line at half)${waiting ? `, starting with ${waiting}` : ''}`,
      async end() {
        await warehouse.faults({ shortShipRate: 0 });
        return `short shipment over: ${warehouse.id} ships complete orders again`;
      },
    };
  },

  'wms-outage': faultWindow(
    (windowMs) => ({ outage: true, outageForMs: Math.max(1, Math.round(windowMs)) }),
    { outage: false },
    (id) => `outage: ${id} is down, refusing every call (HTTP 503 / SFTP refused)`,
    (id) => `outage over: ${id} answers again`,
  ),

  'duplicate-webhooks': faultWindow(
    () => ({ duplicateRate: 1, duplicateCopies: STORM_COPIES }),
    { duplicateRate: 0, duplicateCopies: 2 },
    (id) => `duplicate-webhook storm: ${id} sends every webhook ${STORM_COPIES} times`,
    (id) => `duplicate-webhook storm over: ${id} sends each webhook once`,
  ),

  'missing-997': faultWindow(
    () => ({ loseAcknowledgements: true }),
    { loseAcknowledgements: false },
    (id) => `missing 997: ${id} stops acknowledging the 940s it receives`,
    (id) => `missing 997 over: ${id} acknowledges 940s again`,
  ),

  'rate-limit': faultWindow(
    // More than any client sends in a window; the end sets it back to 0.
    () => ({ burst429: 1_000_000, retryAfterSeconds: RETRY_AFTER_SECONDS }),
    { burst429: 0 },
    (id) => `rate-limit burst: ${id} answers every call 429 Too Many Requests (Retry-After ${RETRY_AFTER_SECONDS} s)`,
    (id) => `rate-limit burst over: ${id} takes calls again`,
  ),
};

const NEW_PRODUCT = { name: 'Garden Kneeler Pad', listPrice: 14.9 };

/**
 * Master data out of step: an admin creates a product in Odoo (over JSON-RPC, as in the web
 * client) that no warehouse mapping knows, and a salesperson sells it at once. The order cannot
 * be sent anywhere until someone adds the cross-reference. At the end the admin archives it.
 */
async function unknownSku(context: IncidentContext): Promise<StartedIncident> {
  const { rpc, random } = context;
  const version = await rpc.version();
  const existing = z.number().parse(await rpc.execute('product.product', 'search_count', [[['default_code', '=like', 'ACM-9%']]], { context: { active_test: false } }));
  const code = `ACM-9${String(existing + 1).padStart(3, '0')}`;
  const [units] = z.array(z.number()).parse(await rpc.execute('uom.uom', 'search', [[['name', '=', 'Units']]], { limit: 1 }));
  const storable = version >= 18 ? { type: 'consu', is_storable: true } : { type: 'product' };
  const template = z.number().parse(
    await rpc.execute('product.template', 'create', [{ name: NEW_PRODUCT.name, default_code: code, uom_id: units, list_price: NEW_PRODUCT.listPrice, sale_ok: true, ...storable }]),
  );
  const [variant] = z.array(z.number()).parse(await rpc.execute('product.product', 'search', [[['product_tmpl_id', '=', template]]], { limit: 1 }));

  const customers = z
    .array(z.object({ id: z.number(), name: z.string(), country_id: Many2one, state_id: Many2one }))
    .parse(await rpc.execute('res.partner', 'search_read', [[['is_company', '=', true]]], { fields: ['name', 'country_id', 'state_id'] }));
  const customer = customers[Math.floor(random() * customers.length)];
  const codeOf = async (model: string, value: z.infer<typeof Many2one>) => {
    if (!value) return undefined;
    const [row] = z.array(z.object({ code: z.string() })).parse(await rpc.execute(model, 'read', [[value[0]]], { fields: ['code'] }));
    return row?.code;
  };
  const warehouseCode = regionalWarehouse(await codeOf('res.country', customer.country_id), await codeOf('res.country.state', customer.state_id));
  const [warehouse] = z.array(z.number()).parse(await rpc.execute('stock.warehouse', 'search', [[['code', '=', warehouseCode]]], { limit: 1 }));
  const order = z.number().parse(
    await rpc.execute('sale.order', 'create', [{ partner_id: customer.id, warehouse_id: warehouse, client_order_ref: `PO-${code}`, order_line: [[0, 0, { product_id: variant, product_uom_qty: 6 }]] }]),
  );
  await rpc.execute('sale.order', 'action_confirm', [[order]]);
  const [{ name }] = z.array(z.object({ name: z.string() })).parse(await rpc.execute('sale.order', 'read', [[order]], { fields: ['name'] }));

  return {
    said: `unknown SKU: Odoo has a new product ${code} "${NEW_PRODUCT.name}" that no warehouse mapping knows, sold at once on ${name} for ${customer.name} (${warehouseCode})`,
    async end() {
      await rpc.execute('product.product', 'write', [[variant], { active: false }]);
      await rpc.execute('product.template', 'write', [[template], { active: false }]);
      return `unknown SKU over: ${code} archived in Odoo (orders already released with it still need fixing)`;
    },
  };
}
