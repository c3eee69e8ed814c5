/**
 * What the soak reads at the end, from the systems themselves: the warehouse simulators'
 * `/_sim/state`, Odoo over its JSON-RPC API, the runtime's admin API, and the runtime's own
 * database opened read-only (the ledger, the order book, ingress keys and the bus rows still
 * waiting; `busy_timeout` lets a reader share the file with the running runtime).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { z } from 'zod';
import { OdooRpc } from '../../simulators/traffic/odoo-rpc';
import { odooUrl, sim, warehouseControl, type SoakWorld } from './soak-world';

/** One order as a warehouse holds it, in terms common to the three dialects. */
export interface WarehouseOrder {
  status: string;
  /** Create requests / order rows / 940 originals received for it (repeats the warehouse absorbed). */
  received: number;
  /** The warehouse has shipped it (something or nothing: a line ships what is on hand). */
  shipped: boolean;
  /** Units that left the warehouse for it. */
  shippedUnits: number;
  /** Shipments it made for the order (the REST WMS keeps a list; the others ship an order once). */
  shipments: number;
}

export interface WarehouseState {
  orders: Map<string, WarehouseOrder>;
  returns: number;
}

const Line = z.object({ shipped_quantity: z.number().optional(), shipped: z.number().optional() }).passthrough();
const SimState = z.object({
  orders: z.record(z.string(), z.object({ status: z.string(), received: z.number(), shipments: z.number().optional(), lines: z.array(Line) })),
  returns: z.number(),
});
/** Statuses meaning "shipped" per dialect (the batch WMS's 90 and 91 = shipped short). */
const shippedStatus: Record<string, string[]> = { 'wms-rest': ['Completed'], 'wms-batch': ['90', '91'], 'edi-3pl': ['shipped'] };

export async function readWarehouses(): Promise<Map<string, WarehouseState>> {
  const all = new Map<string, WarehouseState>();
  for (const [id, url] of Object.entries(warehouseControl)) {
    const state = SimState.parse(await sim(url, 'state'));
    const orders = new Map<string, WarehouseOrder>();
    for (const [name, o] of Object.entries(state.orders)) {
      const shipped = shippedStatus[id].includes(o.status);
      const shippedUnits = shipped ? o.lines.reduce((n, l) => n + (l.shipped_quantity ?? l.shipped ?? 0), 0) : 0;
      orders.set(name, { status: o.status, received: o.received, shipped, shippedUnits, shipments: o.shipments ?? (shippedUnits > 0 ? 1 : 0) });
    }
    all.set(id, { orders, returns: state.returns });
  }
  return all;
}

const Many2one = z.union([z.tuple([z.number(), z.string()]), z.literal(false)]);
const SaleOrder = z.object({ id: z.number(), name: z.string(), state: z.string() });
const Picking = z.object({ id: z.number(), name: z.string(), origin: z.union([z.string(), z.literal(false)]), state: z.string(), picking_type_code: z.union([z.string(), z.literal(false)]), sale_id: Many2one, return_id: Many2one, date_done: z.union([z.string(), z.literal(false)]) });
const Move = z.object({ id: z.number(), picking_id: Many2one, sale_line_id: Many2one, quantity: z.number() });
const SaleLine = z.object({ id: z.number(), order_id: Many2one, product_uom_qty: z.number() });
export type SaleOrder = z.infer<typeof SaleOrder>;
export type Picking = z.infer<typeof Picking>;

export interface OdooState {
  orders: SaleOrder[];
  pickings: Picking[];
  /** Done moves. */
  moves: z.infer<typeof Move>[];
  lines: z.infer<typeof SaleLine>[];
  counters: Record<string, number>;
}

/** Reads a whole model in pages, so no reply is huge. */
async function readAll<T>(rpc: OdooRpc, model: string, domain: unknown[], fields: string[], row: z.ZodType<T>): Promise<T[]> {
  const rows: T[] = [];
  for (let offset = 0; offset < 1_000_000; offset += 2_000) {
    const page = z.array(row).parse(await rpc.execute(model, 'search_read', [domain], { fields, offset, limit: 2_000, order: 'id asc' }));
    rows.push(...page);
    if (page.length < 2_000) break;
  }
  return rows;
}

export async function readOdoo(apiKey: string): Promise<OdooState> {
  const rpc = new OdooRpc({ url: odooUrl, database: 'crossdock', login: 'admin', secret: apiKey });
  const { counters } = (await sim<{ counters: Record<string, number> }>(odooUrl, 'state'));
  return {
    orders: await readAll(rpc, 'sale.order', [], ['name', 'state'], SaleOrder),
    pickings: await readAll(rpc, 'stock.picking', [], ['name', 'origin', 'state', 'picking_type_code', 'sale_id', 'return_id', 'date_done'], Picking),
    moves: await readAll(rpc, 'stock.move', [['state', '=', 'done']], ['picking_id', 'sale_line_id', 'quantity'], Move),
    lines: await readAll(rpc, 'sale.order.line', [], ['order_id', 'product_uom_qty'], SaleLine),
    counters,
  };
}

export interface DeadLetterSummary {
  id: string;
  topic: string;
  category: string;
  reason: string;
  status: string;
  correlationId: string;
}

/** Every dead letter, through the admin API's incremental listing (oldest change first, 500 a page). */
export async function readDeadLetters(world: SoakWorld): Promise<DeadLetterSummary[]> {
  const byId = new Map<string, DeadLetterSummary & { updatedAt: string }>();
  let since = '1970-01-01T00:00:00.000Z';
  for (let page = 0; page < 1_000; page++) {
    const { deadLetters } = await world.admin<{ deadLetters: (DeadLetterSummary & { updatedAt: string })[] }>(`/admin/v1/dead-letters?updatedSince=${encodeURIComponent(since)}&limit=500`);
    const fresh = deadLetters.filter((d) => !byId.has(d.id));
    for (const d of deadLetters) byId.set(d.id, d);
    if (deadLetters.length < 500 || fresh.length === 0) break;
    since = deadLetters.at(-1)!.updatedAt;
  }
  return [...byId.values()].map(({ id, topic, category, reason, status, correlationId }) => ({ id, topic, category, reason, status, correlationId }));
}

export interface RuntimeState {
  /** The order book: order id → warehouse and status. */
  assignments: Map<string, { warehouseId: string; status: string; reroutedFrom: string | null }>;
  /** Odoo `sale.order` ids the ingress accepted a release for (`odoo:sale.order:<id>:released`). */
  releasedOdooIds: Set<number>;
  /** Messages taken in, per source (the ingress's idempotency keys). */
  inbound: Map<string, number>;
  /** Partner messages in the ledger, per direction and per `partner type`. */
  ledger: { in: number; out: number; byType: Map<string, number> };
  /** Ledger entries per correlation id. */
  ledgerByCorrelation: Map<string, number>;
  /** Correlation ids with a message still on the bus (queued, leased or waiting for a retry), with its topic. */
  pending: Map<string, string[]>;
  pendingMessages: number;
}

export function readRuntimeDb(dataDir: string): RuntimeState {
  const db = new Database(join(dataDir, 'runtime.db'), { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const assignments = new Map<string, RuntimeState['assignments'] extends Map<string, infer V> ? V : never>();
    for (const r of db.prepare('SELECT order_id, warehouse_id, status, rerouted_from FROM order_assignments').all() as { order_id: string; warehouse_id: string; status: string; rerouted_from: string | null }[])
      assignments.set(r.order_id, { warehouseId: r.warehouse_id, status: r.status, reroutedFrom: r.rerouted_from });
    const keys = db.prepare('SELECT scope, key FROM inbound_keys').all() as { scope: string; key: string }[];
    const inbound = new Map<string, number>();
    const releasedOdooIds = new Set<number>();
    for (const k of keys) {
      inbound.set(k.scope, (inbound.get(k.scope) ?? 0) + 1);
      const released = /^odoo:sale\.order:(\d+):released$/.exec(k.key);
      if (released) releasedOdooIds.add(Number(released[1]));
    }
    const ledger = { in: 0, out: 0, byType: new Map<string, number>() };
    for (const r of db.prepare('SELECT direction, partner, message_type, count(*) AS n FROM message_ledger GROUP BY 1, 2, 3').all() as { direction: 'in' | 'out'; partner: string; message_type: string; n: number }[]) {
      ledger[r.direction] += r.n;
      ledger.byType.set(`${r.direction} ${r.partner} ${r.message_type}`, r.n);
    }
    const ledgerByCorrelation = new Map<string, number>();
    for (const r of db.prepare('SELECT correlation_id, count(*) AS n FROM message_ledger WHERE correlation_id IS NOT NULL GROUP BY 1').all() as { correlation_id: string; n: number }[])
      ledgerByCorrelation.set(r.correlation_id, r.n);
    const pending = new Map<string, string[]>();
    const rows = db.prepare('SELECT topic, envelope FROM bus_messages').all() as { topic: string; envelope: string }[];
    for (const r of rows) {
      const correlation = String((JSON.parse(r.envelope) as { correlationid?: unknown }).correlationid ?? '');
      pending.set(correlation, [...(pending.get(correlation) ?? []), r.topic]);
    }
    return { assignments, releasedOdooIds, inbound, ledger, ledgerByCorrelation, pending, pendingMessages: rows.length };
  } finally {
    db.close();
  }
}
