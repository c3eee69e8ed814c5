import Decimal from 'decimal.js';
import { type InventoryPosition, type Order, type ReturnReason, type Shipment, type ShippedLine, eventTypes } from '../../canonical';
import { MasterDataError } from '../../errors';
import type { WarehouseEvent, WarehouseOrderState } from '../warehouse-adapter';
import { decoded } from '../warehouse-adapter';
import type { MappingTables } from '../warehouse-mapping';
import type { WmsInventoryItem, WmsOrder, WmsReturn, WmsShipment, WmsWebhook } from './wire';

/**
 * Pure translations between the REST WMS's JSON and the canonical model. Idempotency keys are
 * derived from the WMS's facts (order reference + milestone, shipment id, return id), so a fact
 * seen by webhook and again by the reconciliation poll carries the same key and is applied once.
 */

/** The body of `POST /v1/orders`. */
export function toWmsOrder(order: Order, tables: MappingTables) {
  const method = tables.carrier(order.serviceLevel);
  return {
    reference_id: order.orderId,
    customer_reference: order.customerRef ?? null,
    shipping_method: { carrier: method.carrier, service: method.service },
    ship_to: {
      name: order.shipTo.name,
      company: order.shipTo.company ?? null,
      address1: order.shipTo.street1,
      address2: order.shipTo.street2 ?? null,
      city: order.shipTo.city,
      state: order.shipTo.region ?? null,
      zip: order.shipTo.postalCode,
      country: order.shipTo.country,
      phone: order.shipTo.phone ?? null,
      email: order.shipTo.email ?? null,
    },
    promised_by: order.commitmentDate ?? null,
    lines: order.lines.map((line) => {
      const mapped = tables.toPartner(line.sku, line.quantity, line.uom);
      // The WMS counts in whole units; a fractional quantity would be silently truncated on its side.
      return { line_ref: line.lineId, sku: mapped.partnerSku, quantity: Number(mapped.quantity) };
    }),
  };
}

/** The canonical milestone an order's WMS status stands for. */
export function orderState(order: WmsOrder): WarehouseOrderState {
  switch (order.status) {
    case 'Received':
      return 'received';
    case 'Processing':
    case 'Exception':
    case 'OnHold':
      return order.acknowledged_at ? 'acknowledged' : 'received';
    case 'Picked':
      return 'picked';
    case 'Packed':
      return 'packed';
    case 'Completed':
      return isShort(order) ? 'short_shipped' : 'shipped';
    case 'Cancelled':
      return 'cancelled';
  }
}

function isShort(order: WmsOrder): boolean {
  return order.lines.some((l) => new Decimal(l.shipped_quantity).lt(l.quantity));
}

/**
 * Every event an order snapshot implies. `topic` narrows it to what one webhook announced, so a
 * `order.shipped` webhook does not re-announce the acknowledgement.
 */
export function orderEvents(order: WmsOrder, tables: MappingTables, topic?: WmsWebhook['type']): WarehouseEvent[] {
  const w = tables.warehouseId;
  const ref = order.reference_id;
  const events: WarehouseEvent[] = [];
  const want = (t: WmsWebhook['type']) => topic === undefined || topic === t;
  if (order.acknowledged_at && want('order.acknowledged'))
    events.push(decoded(eventTypes.orderAcknowledged, { orderId: ref, warehouseId: w, warehouseRef: order.id, acknowledgedAt: order.acknowledged_at }, ref, `${w}:ack:${ref}`));
  if (order.picked_at && want('order.picked'))
    events.push(decoded(eventTypes.orderProgressed, { orderId: ref, warehouseId: w, status: 'picked', at: order.picked_at }, ref, `${w}:picked:${ref}`));
  if (order.packed_at && want('order.packed'))
    events.push(decoded(eventTypes.orderProgressed, { orderId: ref, warehouseId: w, status: 'packed', at: order.packed_at }, ref, `${w}:packed:${ref}`));
  if (want('order.shipped')) {
    for (const shipment of order.shipments)
      events.push(decoded(eventTypes.shipmentShipped, toShipment(order, shipment, tables), ref, `${w}:shipment:${shipment.id}`));
    if (order.status === 'Completed' && isShort(order)) events.push(shortShipped(order, tables));
  }
  if (order.cancelled_at && want('order.cancelled'))
    events.push(decoded(eventTypes.orderCancelled, { orderId: ref, warehouseId: w, at: order.cancelled_at }, ref, `${w}:cancel:${ref}`));
  return events;
}

function shortShipped(order: WmsOrder, tables: MappingTables): WarehouseEvent {
  const w = tables.warehouseId;
  const lines = order.lines
    .filter((l) => new Decimal(l.shipped_quantity).lt(l.quantity))
    .map((l) => {
      const ordered = tables.fromPartner(l.sku, l.quantity);
      return { lineId: l.line_ref, sku: ordered.sku, ordered: ordered.quantity, shipped: tables.fromPartner(l.sku, l.shipped_quantity).quantity, uom: ordered.uom };
    });
  const at = order.completed_at ?? order.updated_at;
  return decoded(eventTypes.orderShortShipped, { orderId: order.reference_id, warehouseId: w, shipmentId: order.shipments.at(-1)?.id, lines, at }, order.reference_id, `${w}:short:${order.reference_id}`);
}

/** One WMS shipment as a canonical `Shipment`; shipped lines are the packages' items summed per SKU. */
export function toShipment(order: WmsOrder, shipment: WmsShipment, tables: MappingTables): Shipment {
  const lineRefBySku = new Map(order.lines.map((l) => [l.sku, l.line_ref]));
  const totals = new Map<string, Decimal>();
  const packages = shipment.packages.map((p) => ({
    packageId: p.id,
    trackingNumber: p.tracking_number,
    weightKg: p.weight_kg,
    lines: p.items.map((item) => {
      totals.set(item.sku, (totals.get(item.sku) ?? new Decimal(0)).plus(item.quantity));
      return shippedLine(item.sku, item.quantity, tables, lineRefBySku.get(item.sku));
    }),
  }));
  return {
    shipmentId: shipment.id,
    orderId: order.reference_id,
    warehouseId: tables.warehouseId,
    carrier: shipment.carrier,
    carrierService: shipment.service,
    shippedAt: shipment.shipped_at,
    packages,
    lines: [...totals].map(([sku, qty]) => shippedLine(sku, qty.toFixed(), tables, lineRefBySku.get(sku))),
  };
}

function shippedLine(partnerSku: string, quantity: string, tables: MappingTables, lineId?: string): ShippedLine {
  const mapped = tables.fromPartner(partnerSku, quantity);
  return { lineId, sku: mapped.sku, quantity: mapped.quantity, uom: mapped.uom };
}

export function toInventoryPosition(item: WmsInventoryItem, tables: MappingTables): InventoryPosition {
  const at = (q: number) => tables.fromPartner(item.sku, String(Math.abs(q)));
  const signed = (q: number) => (q < 0 ? `-${at(q).quantity}` : at(q).quantity);
  return {
    sku: at(0).sku,
    warehouseId: tables.warehouseId,
    location: item.location,
    onHand: signed(item.on_hand),
    reserved: at(item.committed).quantity,
    available: signed(item.available),
    uom: at(0).uom,
    asOf: item.updated_at,
    source: tables.warehouseId,
  };
}

export function inventoryEvent(item: WmsInventoryItem, tables: MappingTables): WarehouseEvent {
  const position = toInventoryPosition(item, tables);
  return decoded(eventTypes.inventoryChanged, position, `inventory:${tables.warehouseId}:${position.sku}`, `${tables.warehouseId}:inv:${item.sku}:${item.updated_at}`);
}

const reasons: Record<string, ReturnReason> = {
  DAMAGED: 'damaged',
  WRONG_ITEM: 'wrong_item',
  NOT_NEEDED: 'not_needed',
  DEFECTIVE: 'defective',
  UNDELIVERABLE: 'undeliverable',
  OTHER: 'other',
};

export function returnEvent(ret: WmsReturn, tables: MappingTables): WarehouseEvent | undefined {
  if (ret.status !== 'Completed' || !ret.completed_at) return undefined;
  const reason = reasons[ret.reason];
  if (!reason) throw new MasterDataError(`return reason ${ret.reason} has no canonical reason`, { reason: ret.reason, returnId: ret.id });
  const data = {
    returnId: ret.id,
    orderId: ret.reference_id,
    warehouseId: tables.warehouseId,
    receivedAt: ret.completed_at,
    reason,
    lines: ret.items.map((i) => {
      const mapped = tables.fromPartner(i.sku, i.quantity);
      return { sku: mapped.sku, quantity: mapped.quantity, uom: mapped.uom, condition: i.condition };
    }),
  };
  return decoded(eventTypes.returnReceived, data, ret.id, `${tables.warehouseId}:return:${ret.id}`);
}

/** The events one verified webhook announces. */
export function webhookEvents(hook: WmsWebhook, tables: MappingTables): WarehouseEvent[] {
  switch (hook.type) {
    case 'inventory.changed':
      return [inventoryEvent(hook.data.item, tables)];
    case 'return.completed': {
      const event = returnEvent(hook.data.return, tables);
      return event ? [event] : [];
    }
    default:
      return orderEvents(hook.data.order, tables, hook.type);
  }
}
