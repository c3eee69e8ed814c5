import Decimal from 'decimal.js';
import { type InventoryPosition, type Order, type ReturnReason, eventTypes } from '../../canonical';
import { MasterDataError, ValidationError } from '../../errors';
import { decoded, type WarehouseEvent, type WarehouseOrderStatus } from '../warehouse-adapter';
import type { MappingTables } from '../warehouse-mapping';
import { fromWmsDate, toWmsDate } from './csv-files';
import type { InventoryRow, ReturnRow, ShipmentRow, StatusRow } from './rows';

/**
 * Pure translations between the legacy WMS's CSV rows and the canonical model: its item codes
 * (cross-reference), cases instead of units (exact conversion), its numeric status codes, and
 * MM/DD/YYYY dates. Idempotency keys come from the file name and the row's own keys, so a
 * re-sent file yields the same keys.
 */

/** Order rows for the `/in` file; `action` A adds, C cancels. */
export function toOrderRows(order: Order, tables: MappingTables, action: 'A' | 'C'): Record<string, string>[] {
  const method = tables.carrier(order.serviceLevel);
  return order.lines.map((line) => {
    const mapped = tables.toPartner(line.sku, line.quantity, line.uom);
    return {
      ACTION: action,
      ORDER_NO: order.orderId,
      LINE_NO: line.lineId,
      ITEM_CODE: mapped.partnerSku,
      QTY: mapped.quantity,
      UOM: mapped.unitLabel,
      SHIP_NAME: order.shipTo.company ? `${order.shipTo.company} / ${order.shipTo.name}` : order.shipTo.name,
      SHIP_ADDR1: order.shipTo.street1,
      SHIP_ADDR2: order.shipTo.street2 ?? '',
      SHIP_CITY: order.shipTo.city,
      SHIP_STATE: order.shipTo.region ?? '',
      SHIP_ZIP: order.shipTo.postalCode,
      SHIP_COUNTRY: order.shipTo.country,
      CARRIER: method.carrier,
      SERVICE: method.service,
      ORDER_DATE: toWmsDate(order.releasedAt),
    };
  });
}

/** A cancel request: one row per order, the line fields left empty. */
export function toCancelRow(orderId: string, columns: readonly string[]): Record<string, string> {
  return { ...Object.fromEntries(columns.map((c) => [c, ''])), ACTION: 'C', ORDER_NO: orderId, LINE_NO: '0' };
}

/** The unit label the WMS must use for an item; another label means the conversion would be wrong. */
function checkUnit(tables: MappingTables, itemCode: string, uom: string, fileName: string) {
  const item = tables.itemByPartnerSku(itemCode);
  if (item.partnerUnitLabel !== uom)
    throw new MasterDataError(`${fileName}: item ${itemCode} reported in ${uom}, mapped as ${item.partnerUnitLabel}`, { itemCode, uom });
}

/** Status rows → acknowledged / picked / packed / cancelled events; shipped comes from shipment files. */
export function statusEvents(rows: StatusRow[], tables: MappingTables, fileName: string): WarehouseEvent[] {
  const w = tables.warehouseId;
  const events: WarehouseEvent[] = [];
  for (const row of rows) {
    const state = tables.status(row.STATUS);
    const at = fromWmsDate(row.STATUS_DATE, fileName);
    const ref = row.ORDER_NO;
    if (state === 'acknowledged') events.push(decoded(eventTypes.orderAcknowledged, { orderId: ref, warehouseId: w, warehouseRef: row.WMS_ORDER, acknowledgedAt: at }, ref, `${w}:ack:${ref}`));
    else if (state === 'picked' || state === 'packed')
      events.push(decoded(eventTypes.orderProgressed, { orderId: ref, warehouseId: w, status: state, at }, ref, `${w}:${state}:${ref}`));
    else if (state === 'cancelled') events.push(decoded(eventTypes.orderCancelled, { orderId: ref, warehouseId: w, at }, ref, `${w}:cancel:${ref}`));
  }
  return events;
}

/** Shipment rows, grouped per shipment: one `shipped` event each, plus `short_shipped` when a line left short. */
export function shipmentEvents(rows: ShipmentRow[], tables: MappingTables, fileName: string): WarehouseEvent[] {
  const w = tables.warehouseId;
  const groups = new Map<string, ShipmentRow[]>();
  for (const row of rows) groups.set(`${row.ORDER_NO}\u0000${row.SHIPMENT_NO}`, [...(groups.get(`${row.ORDER_NO}\u0000${row.SHIPMENT_NO}`) ?? []), row]);
  const events: WarehouseEvent[] = [];
  for (const group of groups.values()) {
    const { ORDER_NO: orderId, SHIPMENT_NO: shipmentId } = group[0];
    for (const row of group) checkUnit(tables, row.ITEM_CODE, row.UOM, fileName);
    const shippedRows = group.filter((r) => new Decimal(r.QTY_SHIPPED).gt(0));
    const cartons = new Map<string, ShipmentRow[]>();
    for (const row of shippedRows) {
      if (!row.CARTON_ID || !row.TRACKING_NO) throw new ValidationError(`${fileName}: shipped line ${row.LINE_NO} of ${orderId} has no carton or tracking number`, { fileName });
      cartons.set(row.CARTON_ID, [...(cartons.get(row.CARTON_ID) ?? []), row]);
    }
    const line = (r: ShipmentRow, q: string) => ({ lineId: r.LINE_NO, ...renameQty(tables.fromPartner(r.ITEM_CODE, q)) });
    const shippedAt = fromWmsDate(group[0].SHIP_DATE, fileName);
    if (shippedRows.length > 0)
      events.push(
        decoded(
          eventTypes.shipmentShipped,
          {
            shipmentId,
            orderId,
            warehouseId: w,
            carrier: group[0].CARRIER,
            shippedAt,
            packages: [...cartons].map(([carton, lines]) => ({
              packageId: carton,
              trackingNumber: lines[0].TRACKING_NO,
              weightKg: lines[0].WEIGHT_KG || undefined,
              lines: lines.map((r) => line(r, r.QTY_SHIPPED)),
            })),
            lines: shippedRows.map((r) => line(r, r.QTY_SHIPPED)),
          },
          orderId,
          `${w}:shipment:${shipmentId}`,
        ),
      );
    const short = group.filter((r) => new Decimal(r.QTY_SHIPPED).lt(r.QTY_ORDERED));
    if (short.length > 0)
      events.push(
        decoded(
          eventTypes.orderShortShipped,
          {
            orderId,
            warehouseId: w,
            shipmentId: shippedRows.length > 0 ? shipmentId : undefined,
            lines: short.map((r) => {
              const ordered = tables.fromPartner(r.ITEM_CODE, r.QTY_ORDERED);
              return { lineId: r.LINE_NO, sku: ordered.sku, ordered: ordered.quantity, shipped: tables.fromPartner(r.ITEM_CODE, r.QTY_SHIPPED).quantity, uom: ordered.uom };
            }),
            at: shippedAt,
          },
          orderId,
          `${w}:short:${orderId}:${shipmentId}`,
        ),
      );
  }
  return events;
}

const renameQty = (m: { sku: string; quantity: string; uom: string }) => ({ sku: m.sku, quantity: m.quantity, uom: m.uom });

/** A full snapshot row → a position in canonical SKU and stock units. */
export function toInventoryPosition(row: InventoryRow, tables: MappingTables, fileName: string): InventoryPosition {
  checkUnit(tables, row.ITEM_CODE, row.UOM, fileName);
  const abs = (q: string) => tables.fromPartner(row.ITEM_CODE, q.replace('-', ''));
  const signed = (q: string) => (q.startsWith('-') ? `-${abs(q).quantity}` : abs(q).quantity);
  const onHand = new Decimal(row.QTY_ON_HAND);
  const available = onHand.minus(row.QTY_ALLOCATED).toFixed();
  return {
    sku: abs('0').sku,
    warehouseId: tables.warehouseId,
    location: row.LOCATION || undefined,
    onHand: signed(row.QTY_ON_HAND),
    reserved: abs(row.QTY_ALLOCATED).quantity,
    available: signed(available),
    uom: abs('0').uom,
    asOf: fromWmsDate(row.SNAPSHOT_DATE, fileName),
    source: tables.warehouseId,
  };
}

export function inventoryEvents(rows: InventoryRow[], tables: MappingTables, fileName: string): WarehouseEvent[] {
  return rows.map((row) => {
    const position = toInventoryPosition(row, tables, fileName);
    return decoded(eventTypes.inventoryChanged, position, `inventory:${tables.warehouseId}:${position.sku}`, `${tables.warehouseId}:inv:${fileName}:${row.ITEM_CODE}:${row.LOCATION}`);
  });
}

const conditions = { A: 'sellable', B: 'damaged', Q: 'quarantine' } as const;
const reasons: Record<string, ReturnReason> = { DMG: 'damaged', WRI: 'wrong_item', NNE: 'not_needed', DEF: 'defective', UND: 'undeliverable', OTH: 'other' };

export function returnEvents(rows: ReturnRow[], tables: MappingTables, fileName: string): WarehouseEvent[] {
  const byRma = new Map<string, ReturnRow[]>();
  for (const row of rows) byRma.set(row.RMA_NO, [...(byRma.get(row.RMA_NO) ?? []), row]);
  return [...byRma].map(([rma, lines]) => {
    const reason = reasons[lines[0].REASON];
    if (!reason) throw new MasterDataError(`${fileName}: return reason ${lines[0].REASON} has no canonical reason`, { reason: lines[0].REASON });
    for (const l of lines) checkUnit(tables, l.ITEM_CODE, l.UOM, fileName);
    const data = {
      returnId: rma,
      orderId: lines[0].ORDER_NO,
      warehouseId: tables.warehouseId,
      receivedAt: fromWmsDate(lines[0].RECEIVED_DATE, fileName),
      reason,
      lines: lines.map((l) => ({ ...renameQty(tables.fromPartner(l.ITEM_CODE, l.QTY)), condition: conditions[l.CONDITION] })),
    };
    return decoded(eventTypes.returnReceived, data, rma, `${tables.warehouseId}:return:${rma}`);
  });
}

/** One order's line in the WMS's order-status report → its canonical status. */
export function orderStatusOf(orderId: string, rows: StatusRow[], tables: MappingTables, fileName: string): WarehouseOrderStatus {
  const row = rows.find((r) => r.ORDER_NO === orderId);
  if (!row) return { orderId, state: 'unknown' };
  return { orderId, state: tables.status(row.STATUS), warehouseRef: row.WMS_ORDER, updatedAt: fromWmsDate(row.STATUS_DATE, fileName) };
}
