import Decimal from 'decimal.js';
import { z } from 'zod';
import { InventoryPosition, parseOrThrow, Product } from '../../canonical';
import { IntegrationError, MasterDataError } from '../../errors';
import { pullChanges, type IncrementalOptions } from './incremental';
import { idOf, nameOf, readById, text } from './lookups';
import type { Rejected } from './order-reader';
import { LocationRow, MoveRow, PickingRow, pickingFields, ProductRow, productFields, QuantRow, WarehouseRow } from './odoo-records';
import type { OdooSyncState } from './sync-state';
import type { OdooTransport } from './transport';
import type { OdooDialect } from './version';
import { toTimestamp } from './wire';

export interface Changes<T> {
  items: T[];
  rejected: Rejected[];
  commit(): void;
}

/** A product with its Odoo id, so later writes need no lookup. */
export interface OdooProduct {
  product: Product;
  odooId: number;
}

/** Products changed since the cursor, archived ones included (`active: false` tells consumers). */
export async function pullProducts(transport: OdooTransport, state: OdooSyncState, options: IncrementalOptions): Promise<Changes<OdooProduct>> {
  const batch = await pullChanges(transport, state, { name: 'product.product', model: 'product.product', domain: [], fields: productFields, context: { active_test: false } }, options);
  const items: OdooProduct[] = [];
  const rejected: Rejected[] = [];
  for (const raw of batch.items) {
    const row = parseOrThrow(ProductRow, raw, 'Odoo product.product');
    try {
      if (!row.default_code) throw new MasterDataError(`product ${row.name} (id ${row.id}) has no internal reference (SKU)`, { odooId: row.id });
      const barcode = text(row.barcode);
      const product = parseOrThrow(
        Product,
        {
          sku: row.default_code,
          name: row.name,
          barcode: barcode && /^\d{8,14}$/.test(barcode) ? barcode : undefined,
          uom: nameOf(row.uom_id) ?? '',
          weightKg: row.weight,
          active: row.active,
          externalIds: { odoo: String(row.id) },
        },
        `Odoo product ${row.default_code}`,
      );
      items.push({ product, odooId: row.id });
    } catch (error) {
      if (!(error instanceof IntegrationError)) throw error;
      rejected.push({ odooId: row.id, name: row.name, error });
    }
  }
  return { items, rejected, commit: batch.commit };
}

/** An Odoo warehouse as the routing configuration refers to it (by `code`). */
export interface OdooWarehouse {
  odooId: number;
  code: string;
  name: string;
  stockLocationId: number;
}

export async function listWarehouses(transport: OdooTransport): Promise<OdooWarehouse[]> {
  const rows = parseOrThrow(
    z.array(WarehouseRow),
    await transport.call({ model: 'stock.warehouse', method: 'search_read', kwargs: { domain: [], fields: ['name', 'code', 'lot_stock_id'], order: 'id asc' } }),
    'Odoo stock.warehouse',
  );
  return rows.map((w) => ({ odooId: w.id, code: w.code, name: w.name, stockLocationId: idOf(w.lot_stock_id) ?? 0 }));
}

/**
 * Stock positions whose quant changed since the cursor (every stock move touches the quant's
 * `write_date`), in internal locations, with the warehouse code as `warehouseId`.
 */
export async function pullInventory(transport: OdooTransport, state: OdooSyncState, options: IncrementalOptions): Promise<Changes<InventoryPosition>> {
  const batch = await pullChanges(
    transport,
    state,
    { name: 'stock.quant', model: 'stock.quant', domain: [['location_id.usage', '=', 'internal']], fields: ['product_id', 'location_id', 'quantity', 'reserved_quantity'] },
    options,
  );
  const { items, rejected } = await positionsOf(transport, batch.items);
  return { items, rejected, commit: batch.commit };
}

const quantFields = ['product_id', 'location_id', 'quantity', 'reserved_quantity', 'write_date'];

/**
 * Every stock position in internal locations now, read in pages by id: what reconciliation
 * compares with the warehouses' own counts (a full picture, not the changes since a cursor).
 */
export async function readInventory(transport: OdooTransport, pageSize = 2_000): Promise<{ items: InventoryPosition[]; rejected: Rejected[] }> {
  const items: InventoryPosition[] = [];
  const rejected: Rejected[] = [];
  for (let lastId = 0; ; ) {
    const page = z.array(z.object({ id: z.number() }).passthrough()).parse(
      await transport.call({ model: 'stock.quant', method: 'search_read', kwargs: { domain: [['location_id.usage', '=', 'internal'], ['id', '>', lastId]], fields: quantFields, order: 'id asc', limit: pageSize } }),
    );
    const mapped = await positionsOf(transport, page);
    items.push(...mapped.items);
    rejected.push(...mapped.rejected);
    if (page.length < pageSize) return { items, rejected };
    lastId = page[page.length - 1].id;
  }
}

/** Quant rows as canonical positions, with the warehouse code as `warehouseId`; a quant that cannot be mapped is rejected, not thrown. */
async function positionsOf(transport: OdooTransport, rows: unknown[]): Promise<{ items: InventoryPosition[]; rejected: Rejected[] }> {
  const quants = rows.map((q) => parseOrThrow(QuantRow, q, 'Odoo stock.quant'));
  const products = await readById(transport, 'product.product', quants.map((q) => idOf(q.product_id) ?? 0), ['default_code', 'uom_id'], z.object({ id: z.number(), default_code: z.union([z.literal(false), z.string()]), uom_id: z.tuple([z.number(), z.string()]) }));
  const locations = await readById(transport, 'stock.location', quants.map((q) => idOf(q.location_id) ?? 0), ['complete_name', 'warehouse_id'], LocationRow);
  const warehouses = await readById(transport, 'stock.warehouse', [...locations.values()].map((l) => idOf(l.warehouse_id) ?? 0), ['code'], z.object({ id: z.number(), code: z.string() }));
  const items: InventoryPosition[] = [];
  const rejected: Rejected[] = [];
  for (const quant of quants) {
    try {
      const product = products.get(idOf(quant.product_id) ?? 0);
      const location = locations.get(idOf(quant.location_id) ?? 0);
      const warehouse = warehouses.get(idOf(location?.warehouse_id ?? false) ?? 0);
      if (!product?.default_code) throw new MasterDataError(`quant ${quant.id}: product ${nameOf(quant.product_id)} has no SKU`, { odooId: quant.id });
      if (!warehouse) throw new MasterDataError(`quant ${quant.id}: location ${nameOf(quant.location_id)} belongs to no warehouse`, { odooId: quant.id });
      items.push(
        parseOrThrow(
          InventoryPosition,
          {
            sku: product.default_code,
            warehouseId: warehouse.code,
            location: location?.complete_name,
            onHand: new Decimal(quant.quantity).toFixed(),
            reserved: new Decimal(quant.reserved_quantity).toFixed(),
            available: new Decimal(quant.quantity).minus(quant.reserved_quantity).toFixed(),
            uom: product.uom_id[1],
            asOf: toTimestamp(quant.write_date),
            source: 'odoo',
          },
          `Odoo quant ${quant.id}`,
        ),
      );
    } catch (error) {
      if (!(error instanceof IntegrationError)) throw error;
      rejected.push({ odooId: quant.id, name: nameOf(quant.product_id) ?? String(quant.id), error });
    }
  }
  return { items, rejected };
}

/** A delivery (outgoing picking) with its moves, as Odoo reports it. */
export interface OdooDelivery {
  odooId: number;
  name: string;
  state: string;
  orderName?: string;
  trackingRef?: string;
  doneAt?: string;
  backorderOf?: string;
  writeDate: string;
  moves: { odooId: number; sku?: string; demand: number; done: number; uom: string; state: string }[];
}

/** Outgoing pickings changed since the cursor, with their moves (`move_ids`, present in every version). */
export async function pullDeliveries(transport: OdooTransport, state: OdooSyncState, dialect: OdooDialect, options: IncrementalOptions): Promise<Changes<OdooDelivery>> {
  const batch = await pullChanges(transport, state, { name: 'stock.picking:outgoing', model: 'stock.picking', domain: [['picking_type_code', '=', 'outgoing']], fields: pickingFields }, options);
  const pickings = batch.items.map((p) => parseOrThrow(PickingRow, p, 'Odoo stock.picking'));
  const moves = await readById(transport, 'stock.move', pickings.flatMap((p) => p.move_ids), ['picking_id', 'product_id', 'product_uom_qty', 'product_uom', 'state', dialect.moveDoneQuantity], MoveRow.passthrough());
  const products = await readById(transport, 'product.product', [...moves.values()].map((m) => idOf(m.product_id) ?? 0), ['default_code'], z.object({ id: z.number(), default_code: z.union([z.literal(false), z.string()]) }));
  const items = pickings.map((p) => ({
    odooId: p.id,
    name: p.name,
    state: p.state,
    orderName: nameOf(p.sale_id),
    trackingRef: text(p.carrier_tracking_ref),
    doneAt: p.date_done ? toTimestamp(p.date_done) : undefined,
    backorderOf: nameOf(p.backorder_id),
    writeDate: p.write_date,
    moves: p.move_ids.flatMap((id) => {
      const move = moves.get(id);
      if (!move) return [];
      return [{ odooId: id, sku: text(products.get(idOf(move.product_id) ?? 0)?.default_code ?? false), demand: move.product_uom_qty, done: Number((move as Record<string, unknown>)[dialect.moveDoneQuantity] ?? 0), uom: nameOf(move.product_uom) ?? '', state: move.state }];
    }),
  }));
  return { items, rejected: [], commit: batch.commit };
}
