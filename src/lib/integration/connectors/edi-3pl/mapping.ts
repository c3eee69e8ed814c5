import Decimal from 'decimal.js';
import { type InventoryPosition, type Order, type ReturnLine, type ReturnReason, eventTypes } from '../../canonical';
import { MasterDataError, ValidationError } from '../../errors';
import { decoded, type WarehouseEvent } from '../warehouse-adapter';
import type { MappingTables } from '../warehouse-mapping';
import { seg, type Segment, type TransactionSet } from './x12-document';

/**
 * Pure translations between X12 4010 warehouse sets and the canonical model. node-x12 has no
 * set schemas, so the segment and loop rules are here: 940 out (W05, N1/N3/N4, G62, W66, LX loop
 * of W01 + N9*LI, W76), 945 in (W06, N1, W27, LX loops of MAN + W12 + N9*LI, W03), 846 in (BIA,
 * LIN + QTY 17/33), 180 in (BGN, N9*CO, BLI + RDR).
 */

const ymd = (iso: string) => iso.slice(0, 10).replace(/-/g, '');

/** X12 CCYYMMDD (+ HHMM) → RFC 3339 UTC. */
export function fromX12Date(date: string | undefined, time: string | undefined, where: string): string {
  if (!date || !/^\d{8}$/.test(date)) throw new ValidationError(`${where}: ${JSON.stringify(date)} is not a CCYYMMDD date`, { where });
  const t = time && /^\d{4}/.test(time) ? time : '0000';
  return `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:00Z`;
}

/** A 940 Warehouse Shipping Order (`N` original) for one order. */
export function to940(order: Order, tables: MappingTables, control: string): TransactionSet {
  const method = tables.carrier(order.serviceLevel);
  const to = order.shipTo;
  let total = new Decimal(0);
  const lines = order.lines.flatMap((line, i) => {
    const m = tables.toPartner(line.sku, line.quantity, line.uom);
    total = total.plus(m.quantity);
    return [seg('LX', String(i + 1)), seg('W01', m.quantity, m.unitLabel, '', 'VN', m.partnerSku), seg('N9', 'LI', line.lineId)];
  });
  return {
    id: '940',
    control,
    segments: [
      seg('W05', 'N', order.orderId, order.customerRef ?? order.orderId),
      seg('N1', 'ST', to.company ?? to.name),
      seg('N3', to.street1, ...(to.street2 ? [to.street2] : [])),
      seg('N4', to.city, to.region ?? '', to.postalCode, to.country),
      seg('G62', '10', ymd(order.commitmentDate ?? order.releasedAt)),
      seg('W66', 'PP', 'M', '', '', method.carrier, '', '', '', '', method.service),
      ...lines,
      seg('W76', total.toFixed()),
    ],
  };
}

/** A 940 with W05-01 `F`: cancel the depositor order. */
export function cancel940(orderId: string, control: string): TransactionSet {
  return { id: '940', control, segments: [seg('W05', 'F', orderId, orderId), seg('W76', '0')] };
}

const first = (segments: Segment[], tag: string, where: string) => {
  const found = segments.find((s) => s.tag === tag);
  if (!found) throw new ValidationError(`${where}: required segment ${tag} is missing`, { where, segment: tag });
  return found;
};

/** The 945's W12 quantity in our units, after checking the unit it was reported in. */
function w12Quantity(tables: MappingTables, w12: Segment, position: number, where: string) {
  const item = tables.itemByPartnerSku(w12.el[8]);
  if (w12.el[5] !== item.partnerUnitLabel)
    throw new MasterDataError(`${where}: item ${w12.el[8]} reported in ${w12.el[5]}, mapped as ${item.partnerUnitLabel}`, { where, uom: w12.el[5] });
  const raw = w12.el[position];
  if (!/^\d+(\.\d+)?$/.test(raw ?? '')) throw new ValidationError(`${where}: W12-0${position} ${JSON.stringify(raw)} is not a quantity`, { where });
  return tables.fromPartner(w12.el[8], raw);
}

/** A 945 Warehouse Shipping Advice → `shipped` (when anything left) and `short_shipped` events. */
export function from945(set: TransactionSet, tables: MappingTables, where: string): WarehouseEvent[] {
  const w = tables.warehouseId;
  const w06 = first(set.segments, 'W06', where);
  const orderId = w06.el[2];
  if (!orderId) throw new ValidationError(`${where}: W06-02 depositor order number is empty`, { where });
  const shipmentId = w06.el[5] || w06.el[4];
  if (!shipmentId) throw new ValidationError(`${where}: W06 has neither a shipment id nor a BOL`, { where });
  const shippedAt = fromX12Date(w06.el[3], undefined, where);
  const carrier = set.segments.find((s) => s.tag === 'W27')?.el[2] || 'UNKNOWN';
  const packages: { packageId: string; trackingNumber: string; lines: { lineId?: string; sku: string; quantity: string; uom: string }[] }[] = [];
  const lines: { lineId?: string; sku: string; quantity: string; uom: string }[] = [];
  const short: { lineId?: string; sku: string; ordered: string; shipped: string; uom: string }[] = [];
  let current: (typeof packages)[number] | undefined;
  // N9*LI after a W12 names its order line; it belongs to whichever of these that W12 produced.
  let lastLines: { lineId?: string }[] = [];
  let totalShipped = new Decimal(0);
  for (const s of set.segments) {
    if (s.tag === 'LX') current = { packageId: `${shipmentId}-${s.el[1]}`, trackingNumber: '', lines: [] };
    else if (s.tag === 'MAN' && current) {
      current.trackingNumber = s.el[2];
      packages.push(current);
    } else if (s.tag === 'W12') {
      const ordered = w12Quantity(tables, s, 2, where);
      const shipped = w12Quantity(tables, s, 3, where);
      totalShipped = totalShipped.plus(s.el[3]);
      lastLines = [];
      if (new Decimal(shipped.quantity).gt(0)) {
        if (!current?.trackingNumber) throw new ValidationError(`${where}: shipped W12 for ${s.el[8]} has no MAN tracking number in its LX loop`, { where });
        const inPackage: { lineId?: string; sku: string; quantity: string; uom: string } = { sku: shipped.sku, quantity: shipped.quantity, uom: shipped.uom };
        const inShipment = { ...inPackage };
        current.lines.push(inPackage);
        lines.push(inShipment);
        lastLines.push(inPackage, inShipment);
      }
      if (new Decimal(shipped.quantity).lt(ordered.quantity)) {
        const line: (typeof short)[number] = { sku: ordered.sku, ordered: ordered.quantity, shipped: shipped.quantity, uom: ordered.uom };
        short.push(line);
        lastLines.push(line);
      }
    } else if (s.tag === 'N9' && s.el[1] === 'LI') {
      for (const line of lastLines) line.lineId = s.el[2];
    }
  }
  const w03 = first(set.segments, 'W03', where);
  if (!totalShipped.eq(w03.el[1] || '0'))
    throw new ValidationError(`${where}: W03-01 says ${w03.el[1]} shipped but the W12 lines add up to ${totalShipped.toFixed()}`, { where });
  const events: WarehouseEvent[] = [];
  if (lines.length > 0)
    events.push(decoded(eventTypes.shipmentShipped, { shipmentId, orderId, warehouseId: w, carrier, shippedAt, packages, lines }, orderId, `${w}:shipment:${shipmentId}`));
  if (short.length > 0)
    events.push(decoded(eventTypes.orderShortShipped, { orderId, warehouseId: w, shipmentId: lines.length > 0 ? shipmentId : undefined, lines: short, at: shippedAt }, orderId, `${w}:short:${orderId}:${shipmentId}`));
  return events;
}

/** An 846 Inventory Inquiry/Advice → positions (QTY 17 = on hand, 33 = available). */
export function from846(set: TransactionSet, tables: MappingTables, where: string): InventoryPosition[] {
  const bia = first(set.segments, 'BIA', where);
  const asOf = fromX12Date(bia.el[4], bia.el[5], where);
  const positions: InventoryPosition[] = [];
  let item: { code: string; onHand?: string; available?: string } | undefined;
  const flush = () => {
    if (!item) return;
    if (item.onHand === undefined || item.available === undefined)
      throw new ValidationError(`${where}: LIN ${item.code} needs QTY*17 and QTY*33`, { where, item: item.code });
    const signed = (q: string) => (q.startsWith('-') ? `-${tables.fromPartner(item!.code, q.slice(1)).quantity}` : tables.fromPartner(item!.code, q).quantity);
    const mapped = tables.fromPartner(item.code, '0');
    const onHand = signed(item.onHand);
    const available = signed(item.available);
    const reserved = Decimal.max(0, new Decimal(onHand).minus(available)).toFixed();
    positions.push({ sku: mapped.sku, warehouseId: tables.warehouseId, onHand, reserved, available, uom: mapped.uom, asOf, source: tables.warehouseId });
  };
  for (const s of set.segments) {
    if (s.tag === 'LIN') {
      flush();
      item = { code: s.el[3] };
    } else if (s.tag === 'QTY' && item) {
      if (!/^-?\d+(\.\d+)?$/.test(s.el[2] ?? '')) throw new ValidationError(`${where}: QTY ${JSON.stringify(s.el[2])} for ${item.code} is not a number`, { where });
      const unit = tables.itemByPartnerSku(item.code).partnerUnitLabel;
      if (s.el[3] && s.el[3] !== unit) throw new MasterDataError(`${where}: item ${item.code} reported in ${s.el[3]}, mapped as ${unit}`, { where });
      if (s.el[1] === '17') item.onHand = s.el[2];
      if (s.el[1] === '33') item.available = s.el[2];
    }
  }
  flush();
  return positions;
}

const reasons: Record<string, ReturnReason> = { DM: 'damaged', WI: 'wrong_item', NN: 'not_needed', DF: 'defective', UD: 'undeliverable', OT: 'other' };
const dispositions: Record<string, ReturnLine['condition']> = { RS: 'sellable', SC: 'damaged', QA: 'quarantine' };

/** A 180 Return Merchandise Authorization and Notification → `return.received`. */
export function from180(set: TransactionSet, tables: MappingTables, where: string): WarehouseEvent {
  const bgn = first(set.segments, 'BGN', where);
  const returnId = bgn.el[2];
  const orderId = set.segments.find((s) => s.tag === 'N9' && s.el[1] === 'CO')?.el[2];
  if (!returnId || !orderId) throw new ValidationError(`${where}: 180 needs BGN-02 (RMA) and N9*CO (order)`, { where });
  const lines: ReturnLine[] = [];
  let reason: ReturnReason | undefined;
  for (const s of set.segments) {
    if (s.tag === 'BLI') {
      const m = tables.fromPartner(s.el[2], s.el[3]);
      lines.push({ sku: m.sku, quantity: m.quantity, uom: m.uom, condition: 'sellable' });
    } else if (s.tag === 'RDR' && lines.length > 0) {
      const r = reasons[s.el[1]];
      const d = dispositions[s.el[2]];
      if (!r || !d) throw new MasterDataError(`${where}: RDR ${s.el[1]}/${s.el[2]} has no canonical reason or condition`, { where });
      reason ??= r;
      lines[lines.length - 1].condition = d;
    }
  }
  if (lines.length === 0) throw new ValidationError(`${where}: 180 has no BLI lines`, { where });
  const data = { returnId, orderId, warehouseId: tables.warehouseId, receivedAt: fromX12Date(bgn.el[3], undefined, where), reason: reason ?? 'other', lines };
  return decoded(eventTypes.returnReceived, data, returnId, `${tables.warehouseId}:return:${returnId}`);
}
