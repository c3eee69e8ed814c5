import { SpanStatusCode } from '@opentelemetry/api';
import Decimal from 'decimal.js';
import { eventTypes, events, type InventoryPosition, type ReconciliationRequested } from '../canonical';
import type { HandlerContext, Route } from '../delivery';
import { Attr } from '../../telemetry/conventions';
import { tracer } from '../../telemetry/spans';
import { step, warehouseOf, type FlowContext } from './context';
import { odooOnHand } from './inventory-sync';
import type { Difference, ReconciliationStore } from './reconciliation-store';
import { serviceClassOf, topics } from './topics';
import type { TopologyWarehouse } from '../topology';

export interface ReconciliationOptions {
  store: ReconciliationStore;
  /** An order not acknowledged this long after release is checked at its warehouse. @defaultValue 120000 (the release→acknowledged SLA) */
  acknowledgeWithinMs?: number;
  /** Open orders checked per run at most. @defaultValue 200 */
  maxOrderChecks?: number;
}

/** The message that asks for a run; `runId` doubles as the idempotency key and the run's correlation id. */
export function reconciliationRequestedEvent(context: FlowContext, request: ReconciliationRequested) {
  return events.create(eventTypes.reconciliationRequested, {
    id: request.runId,
    data: request,
    source: context.source,
    correlationId: request.runId,
    idempotencyKey: request.runId,
    serviceClass: serviceClassOf.reconciliation,
  });
}

/**
 * Reconciliation (batch class): compares Odoo with every warehouse — on-hand per SKU, allowing
 * for shipments Odoo has not confirmed yet, and orders no warehouse acknowledged in time — and
 * raises each difference as an exception span (`inventory_mismatch`, `sla_breach`) the console
 * turns into a triage item, records it for the admin API, and brings Odoo's stock to the
 * warehouse's count (the warehouse holds the goods, so it is the book of record). This is how
 * silent failures — a dropped webhook, a file never sent — are caught.
 * Milestones (correlation id = run id): `compared`, `discrepancies_raised`.
 */
export function reconciliationRoute(context: FlowContext, options: ReconciliationOptions): Route {
  return {
    topic: topics.reconciliationRequested,
    async handle(envelope, handler) {
      const run = events.read<ReconciliationRequested>(envelope, eventTypes.reconciliationRequested).data;
      const where = { process: 'reconciliation' as const, correlationId: run.runId };
      options.store.start(run.runId, run.requestedBy);
      try {
        const differences = await step('compare odoo and warehouses', { ...where, milestone: 'compared' }, async (span) => {
          const found = [...(await compareStock(context, handler)), ...(await compareOpenOrders(context, handler, options))];
          span.setAttribute('crossdock.reconciliation.differences', found.length);
          return found;
        });
        await step('raise discrepancies', { ...where, milestone: 'discrepancies_raised' }, async () => {
          for (const d of differences) options.store.record(run.runId, await raise(context, handler, run, d));
        });
        options.store.finish(run.runId, 'finished');
      } catch (error) {
        options.store.finish(run.runId, 'failed');
        throw error;
      }
    },
  };
}

/** A stock difference before it is raised, with what is needed to correct it. */
interface Found extends Omit<Difference, 'corrected'> {
  correction?: { warehouse: TopologyWarehouse; sku: string; quantity: string; uom: string };
}

async function compareStock(context: FlowContext, handler: Pick<HandlerContext, 'endpoint'>): Promise<Found[]> {
  const odoo = await handler.endpoint('odoo').call(() => context.odoo.readInventory());
  const found: Found[] = [];
  for (const warehouse of context.topology.warehouses) {
    let counts: InventoryPosition[];
    try {
      counts = await handler.endpoint(warehouse.id).call(() => warehouseOf(context, warehouse.id).fetchInventory());
    } catch (error) {
      found.push({ kind: 'warehouse_unreachable', warehouseId: warehouse.id, subject: warehouse.id, odooValue: null, warehouseValue: null, detail: `could not read the stock of ${warehouse.name}: ${(error as Error).message}` });
      continue;
    }
    const inOdoo = new Map<string, Decimal>();
    for (const p of odoo.items) if (p.warehouseId === warehouse.odooCode) inOdoo.set(p.sku, (inOdoo.get(p.sku) ?? new Decimal(0)).plus(p.onHand));
    for (const count of sumBySku(counts)) {
      const expected = odooOnHand(context, { warehouseId: warehouse.id, sku: count.sku, onHand: count.onHand, uom: count.uom, asOf: new Date(count.asOf).toISOString() });
      const actual = inOdoo.get(count.sku) ?? new Decimal(0);
      if (actual.eq(expected)) continue;
      found.push({
        kind: 'stock',
        warehouseId: warehouse.id,
        subject: count.sku,
        odooValue: actual.toFixed(),
        warehouseValue: expected,
        detail: `Odoo has ${actual.toFixed()} ${count.uom} of ${count.sku} at ${warehouse.odooCode}; ${warehouse.name} counts ${count.onHand}${expected === count.onHand ? '' : ` plus ${new Decimal(expected).minus(count.onHand).toFixed()} shipped but not yet confirmed`}`,
        correction: { warehouse, sku: count.sku, quantity: expected, uom: count.uom },
      });
    }
  }
  return found;
}

/** One position per SKU: a warehouse may count a SKU in several bins. */
function sumBySku(counts: InventoryPosition[]): InventoryPosition[] {
  const bySku = new Map<string, InventoryPosition>();
  for (const c of counts) {
    const held = bySku.get(c.sku);
    bySku.set(c.sku, held ? { ...held, onHand: new Decimal(held.onHand).plus(c.onHand).toFixed(), asOf: held.asOf > c.asOf ? held.asOf : c.asOf } : c);
  }
  return [...bySku.values()];
}

async function compareOpenOrders(context: FlowContext, handler: Pick<HandlerContext, 'endpoint'>, options: ReconciliationOptions): Promise<Found[]> {
  const before = new Date(context.now().getTime() - (options.acknowledgeWithinMs ?? 120_000));
  const found: Found[] = [];
  for (const order of context.orders.unacknowledged(before, options.maxOrderChecks ?? 200)) {
    if (order.status === 'routed') continue; // never sent: its release is still retrying or dead-lettered, which is its own exception
    let state: string;
    try {
      state = (await handler.endpoint(order.warehouseId).call(() => warehouseOf(context, order.warehouseId).fetchOrderStatus(order.orderId))).state;
    } catch {
      continue; // the warehouse is unreachable: reported once per run by the stock comparison
    }
    if (state === 'unknown' || state === 'received')
      found.push({ kind: 'order_not_at_warehouse', warehouseId: order.warehouseId, subject: order.orderId, odooValue: 'released', warehouseValue: state, detail: `${order.orderId} was sent to ${order.warehouseId} at ${order.sentAt} and the warehouse ${state === 'unknown' ? 'does not know it' : 'has not acknowledged it'}` });
    else
      found.push({ kind: 'order_event_missed', warehouseId: order.warehouseId, subject: order.orderId, odooValue: order.status, warehouseValue: state, detail: `${order.warehouseId} reports ${order.orderId} as ${state}, but the runtime never received that event` });
  }
  return found;
}

/** Raises one difference as an exception span and, for stock, corrects Odoo. */
async function raise(context: FlowContext, handler: Pick<HandlerContext, 'endpoint'>, run: ReconciliationRequested, d: Found): Promise<Difference> {
  const category = d.kind === 'stock' ? 'inventory_mismatch' : d.kind === 'warehouse_unreachable' ? 'partner_unavailable' : 'sla_breach';
  const span = tracer().startSpan(`discrepancy ${d.kind} ${d.warehouseId}`, {
    attributes: {
      // Order differences belong on the order's own timeline; stock differences on the run's.
      [Attr.correlationId]: d.kind.startsWith('order') ? d.subject : run.runId,
      [Attr.processName]: d.kind.startsWith('order') ? 'order_fulfillment' : 'reconciliation',
      [Attr.warehouseId]: d.warehouseId,
      [Attr.exceptionCategory]: category,
      'crossdock.reconciliation.run_id': run.runId,
      'crossdock.reconciliation.kind': d.kind,
      'crossdock.reconciliation.subject': d.subject,
      ...(d.odooValue === null ? {} : { 'crossdock.reconciliation.odoo': d.odooValue }),
      ...(d.warehouseValue === null ? {} : { 'crossdock.reconciliation.warehouse': d.warehouseValue }),
    },
  });
  span.addEvent('exception', { 'exception.type': category, 'exception.message': d.detail });
  span.setStatus({ code: SpanStatusCode.ERROR, message: d.detail });
  let corrected = false;
  try {
    if (run.correct && d.correction) {
      const { warehouse, sku, quantity, uom } = d.correction;
      await handler.endpoint('odoo').call(() => context.odoo.adjustInventory({ key: `recon:${run.runId}:${warehouse.id}:${sku}`, sku, warehouseCode: warehouse.odooCode, quantity, uom }));
      corrected = true;
      span.setAttribute('crossdock.reconciliation.corrected', true);
    }
  } finally {
    span.end();
  }
  const { correction, ...difference } = d;
  void correction;
  return { ...difference, corrected };
}
