import type { Attributes, Span } from '@opentelemetry/api';
import type { EventEnvelope } from '../canonical/envelope';
import type { UnitOfMeasure } from '../canonical';
import type { OdooPort } from '../connectors/odoo';
import type { WarehouseAdapter } from '../connectors/warehouse-adapter';
import type { Accepted } from '../delivery';
import type { ProcessName } from '../../processes/milestones';
import { Attr } from '../../telemetry/conventions';
import { inSpan } from '../../telemetry/spans';
import type { Topology } from '../topology';
import type { OrderBook } from './order-book';
import type { SkuVelocity } from './sku-velocity';
import type { StockBook } from './stock-book';

/** Publishes a message through the runtime's ingress (de-duplicated by idempotency key, ordered where the topic is). */
export type Publish = (topic: string, envelope: EventEnvelope) => Promise<Accepted>;

/** What every flow works with: the ports, the topology and the runtime's memory. */
export interface FlowContext {
  odoo: OdooPort;
  /** One adapter per topology warehouse, by warehouse id. */
  warehouses: ReadonlyMap<string, WarehouseAdapter>;
  topology: Topology;
  orders: OrderBook;
  stock: StockBook;
  /** Order lines per SKU over the last hour: picks the inventory class. */
  velocity: SkuVelocity;
  /** Every SKU some warehouse's mapping knows: an order for any other can go nowhere. */
  mappedSkus: ReadonlySet<string>;
  /** Units of measure by code, from the warehouses' mappings. */
  units: Record<string, UnitOfMeasure>;
  publish: Publish;
  /** Warehouses that cannot take work now (circuit open or paused). */
  downWarehouses(): ReadonlySet<string>;
  /** CloudEvents `source` of what the runtime itself publishes. */
  source: string;
  now(): Date;
}

/** The adapter of a warehouse the topology names; an unknown id is a programming or data error. */
export function warehouseOf(context: FlowContext, warehouseId: string): WarehouseAdapter {
  const adapter = context.warehouses.get(warehouseId);
  if (!adapter) throw new Error(`no adapter for warehouse ${warehouseId}`);
  return adapter;
}

/**
 * Runs one business step in a span carrying what the console needs (correlation id, process,
 * warehouse), marking `milestone` only when the step succeeded, so a failed confirmation is not
 * counted as reached.
 */
export function step<T>(
  name: string,
  where: { process: ProcessName; correlationId: string; warehouseId?: string; milestone?: string; attributes?: Attributes },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const attributes: Attributes = { [Attr.correlationId]: where.correlationId, [Attr.processName]: where.process, ...where.attributes };
  if (where.warehouseId) attributes[Attr.warehouseId] = where.warehouseId;
  return inSpan(name, attributes, async (span) => {
    const result = await work(span);
    if (where.milestone) span.setAttribute(Attr.processMilestone, where.milestone);
    return result;
  });
}
