import { z } from 'zod';
import { IntegrationError, MasterDataError } from '../../errors';
import { Order, parseOrThrow } from '../../canonical';
import { pullChanges, type IncrementalOptions } from './incremental';
import { idOf, nameOf, readById, text } from './lookups';
import { CodeRow, PartnerRow, partnerFields, SaleLineRow, SaleOrderRow, saleOrderFields } from './odoo-records';
import type { OdooSyncState as SyncState } from './sync-state';
import type { OdooTransport } from './transport';
import type { OdooDialect } from './version';
import { toTimestamp } from './wire';

/** A sales order released in Odoo (state `sale`), in the canonical model, with its Odoo identity. */
export interface ReleasedOrder {
  order: Order;
  odooId: number;
  /** The `stock.warehouse` code Odoo chose (`WH`), when it has one. */
  warehouseCode?: string;
  /** `write_date` of the version read: with `odooId`, what makes this change unique. */
  writeDate: string;
}

/** A record that could not be mapped, kept with why, so one bad order does not block the rest. */
export interface Rejected {
  odooId: number;
  name: string;
  error: IntegrationError;
}

export interface OrderChanges {
  items: ReleasedOrder[];
  rejected: Rejected[];
  commit(): void;
}

/**
 * Released orders changed since the cursor, with their lines, shipping address, SKUs and units,
 * read in one batched call per model.
 */
export async function pullReleasedOrders(transport: OdooTransport, state: SyncState, dialect: OdooDialect, options: IncrementalOptions): Promise<OrderChanges> {
  const batch = await pullChanges(transport, state, { name: 'sale.order:released', model: 'sale.order', domain: [['state', '=', 'sale']], fields: saleOrderFields }, options);
  const orders = batch.items.map((row) => parseOrThrow(SaleOrderRow, row, 'Odoo sale.order'));
  if (orders.length === 0) return { items: [], rejected: [], commit: batch.commit };

  const LineRow = SaleLineRow(dialect.saleLineUom);
  const lines = parseOrThrow(
    z.array(LineRow),
    await transport.call({
      model: 'sale.order.line',
      method: 'search_read',
      kwargs: { domain: [['order_id', 'in', orders.map((o) => o.id)]], fields: ['order_id', 'product_id', 'product_uom_qty', 'display_type', dialect.saleLineUom], order: 'id asc' },
    }),
    'Odoo sale.order.line',
  );
  const products = await readById(transport, 'product.product', lines.map((l) => idOf(l.product_id as false | [number, string]) ?? 0), ['default_code'], z.object({ id: z.number(), default_code: z.union([z.literal(false), z.string()]) }));
  const partners = await readById(transport, 'res.partner', orders.map((o) => idOf(o.partner_shipping_id) ?? 0), partnerFields, PartnerRow);
  const parents = await readById(transport, 'res.partner', [...partners.values()].map((p) => idOf(p.parent_id) ?? 0), ['name'], z.object({ id: z.number(), name: z.union([z.literal(false), z.string()]) }));
  const countries = await readById(transport, 'res.country', [...partners.values()].map((p) => idOf(p.country_id) ?? 0), ['code'], CodeRow);
  const states = await readById(transport, 'res.country.state', [...partners.values()].map((p) => idOf(p.state_id) ?? 0), ['code'], CodeRow);
  const warehouses = await readById(transport, 'stock.warehouse', orders.map((o) => idOf(o.warehouse_id) ?? 0), ['code'], CodeRow);

  const items: ReleasedOrder[] = [];
  const rejected: Rejected[] = [];
  for (const so of orders) {
    try {
      const partner = partners.get(idOf(so.partner_shipping_id) ?? 0);
      if (!partner) throw new MasterDataError(`order ${so.name} has no delivery address`, { order: so.name });
      const parent = parents.get(idOf(partner.parent_id) ?? 0);
      const orderLines = lines.filter((l) => idOf(l.order_id as false | [number, string]) === so.id && !l.display_type);
      const order = parseOrThrow(
        Order,
        {
          orderId: so.name,
          customerRef: text(so.client_order_ref),
          shipTo: {
            name: text(partner.name) ?? text(parent?.name) ?? '',
            company: parent ? text(parent.name) : undefined,
            street1: text(partner.street) ?? '',
            street2: text(partner.street2),
            city: text(partner.city) ?? '',
            region: text(states.get(idOf(partner.state_id) ?? 0)?.code ?? false),
            postalCode: text(partner.zip) ?? '',
            country: text(countries.get(idOf(partner.country_id) ?? 0)?.code ?? false) ?? '',
            phone: text(partner.phone),
            email: text(partner.email),
          },
          commitmentDate: so.commitment_date ? toTimestamp(so.commitment_date) : undefined,
          releasedAt: toTimestamp(so.date_order),
          lines: orderLines.map((line) => {
            const product = products.get(idOf(line.product_id as false | [number, string]) ?? 0);
            if (!product?.default_code) throw new MasterDataError(`order ${so.name}: product ${nameOf(line.product_id as false | [number, string])} has no internal reference (SKU)`, { order: so.name });
            return { lineId: String(line.id), sku: product.default_code, quantity: line.product_uom_qty, uom: nameOf(line[dialect.saleLineUom] as false | [number, string]) ?? '' };
          }),
        },
        `Odoo order ${so.name}`,
      );
      items.push({ order, odooId: so.id, warehouseCode: text(warehouses.get(idOf(so.warehouse_id) ?? 0)?.code ?? false), writeDate: so.write_date });
    } catch (error) {
      if (!(error instanceof IntegrationError)) throw error;
      rejected.push({ odooId: so.id, name: so.name, error });
    }
  }
  return { items, rejected, commit: batch.commit };
}
