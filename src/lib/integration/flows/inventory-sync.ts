import Decimal from 'decimal.js';
import { convertQuantity, eventTypes, events, type InventoryPosition } from '../canonical';
import type { HandlerContext, Route } from '../delivery';
import { MasterDataError } from '../errors';
import { Attr } from '../../telemetry/conventions';
import { step, type FlowContext } from './context';
import type { StockEntry } from './stock-book';
import { topics } from './topics';

/** Rounds of "apply, then look again" before leaving a still-newer count to its own message. */
const MAX_ROUNDS = 3;

/**
 * Inventory sync: a warehouse's count (webhook, CSV snapshot, 846) is normalised to canonical SKU
 * and unit by its adapter, coalesced per warehouse + SKU + location (the latest count wins; see StockBook),
 * and Odoo's on-hand at the matching warehouse is set to the warehouse's total over its locations. Counts are absolute, so applying one
 * twice books nothing; the loop re-applies when a newer count arrived meanwhile, so the last
 * write is always the latest count. Milestones: `reported` (taken from the warehouse),
 * `normalised`, `applied_in_odoo` (also when a newer count superseded this one and was applied).
 */
export function inventoryRoute(context: FlowContext): Route {
  return {
    topic: topics.inventoryChanged,
    async handle(envelope, handler) {
      const position = events.read<InventoryPosition>(envelope, eventTypes.inventoryChanged).data;
      const where = { process: 'inventory_sync' as const, correlationId: envelope.correlationid, warehouseId: position.warehouseId, attributes: { 'crossdock.sku': position.sku } };
      await step('normalise stock', { ...where, milestone: 'normalised' }, async (span) => {
        span.setAttribute('crossdock.stock.newest', context.stock.take(position));
      });
      await step('apply stock in odoo', { ...where, milestone: 'applied_in_odoo', attributes: { ...where.attributes, [Attr.endpointId]: 'odoo' } }, async (span) => {
        span.setAttribute('crossdock.stock.writes', await applyLatest(context, handler, position.warehouseId, position.sku));
      });
    },
  };
}

/** Brings Odoo to the latest total held for one SKU at one warehouse (all its locations); returns the Odoo writes made (0: coalesced). */
export async function applyLatest(context: FlowContext, handler: Pick<HandlerContext, 'endpoint'>, warehouseId: string, sku: string): Promise<number> {
  const warehouse = context.topology.warehouses.find((w) => w.id === warehouseId);
  if (!warehouse) throw new MasterDataError(`stock reported for ${warehouseId}, which is not in the topology`, { warehouseId });
  let writes = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const latest = context.stock.get(warehouseId, sku);
    if (!latest?.pending) return writes;
    const quantity = odooOnHand(context, latest);
    // The key names every location's version: the same picture is written once, a new count anywhere makes a new write.
    const key = `${warehouseId}:${sku}:${latest.versions.map((v) => `${v.location}@${v.version}`).join(',')}`;
    await handler.endpoint('odoo').call(() => context.odoo.adjustInventory({ key, sku, warehouseCode: warehouse.odooCode, quantity, uom: latest.uom }));
    context.stock.markApplied(latest);
    writes++;
  }
  return writes;
}

/**
 * What Odoo's on-hand must be for a warehouse count: the count plus what the warehouse shipped
 * before counting that Odoo has not confirmed yet (Odoo deducts it when the shipment is confirmed,
 * so setting the bare count would deduct it twice), minus what came back that Odoo has not
 * received yet (Odoo adds it when the return picking is validated).
 */
export function odooOnHand(context: FlowContext, count: Pick<StockEntry, 'warehouseId' | 'sku' | 'onHand' | 'uom' | 'asOf'>): string {
  let total = new Decimal(count.onHand);
  for (const line of context.orders.pendingShipments(count.warehouseId)) {
    if (line.sku !== count.sku || line.shippedAt > count.asOf) continue;
    if (line.uom === count.uom) {
      total = total.plus(line.quantity);
      continue;
    }
    const from = context.units[line.uom];
    const to = context.units[count.uom];
    if (!from || !to) throw new MasterDataError(`shipped ${line.sku} in ${line.uom}, counted in ${count.uom}: no conversion between them`, { sku: line.sku });
    total = total.plus(convertQuantity(line.quantity, from, to));
  }
  return total.toFixed();
}
