import { randomBytes } from 'node:crypto';
import { BatchFiles, wmsDate } from './batch-files';

/** The legacy WMS's status codes. */
export const Status = { received: '05', released: '10', picked: '30', packed: '40', shipped: '90', shippedShort: '91', cancelled: '99' } as const;

export interface BatchOrder {
  wmsOrder: string;
  status: string;
  /** `shipped` is set once the order ships (absent in state written before it was kept). */
  lines: { lineNo: string; item: string; qty: number; shipped?: number }[];
  /** Order rows received for this order across all files (duplicates included). */
  timesReceived: number;
  shipped: boolean;
}

export interface BatchState {
  orders: Record<string, BatchOrder>;
  /** Stock per item code, in the unit the WMS counts that item in (`uom`, cases when absent). */
  stock: Record<string, { onHand: number; allocated: number; location: string; uom?: string }>;
  filesIn: number;
  sequence: number;
  returns: number;
}

export interface BatchFaults {
  loseAcknowledgements: boolean;
  shortShipRate: number;
  unknownSkus: boolean;
  /** The next file to `/out` is written half now, half later, under its final name. */
  halfWritten: boolean;
  /** The next shipment file has a short row. */
  shortRows: boolean;
}

const ORDER_HEADER = ['ORDER_NO', 'WMS_ORDER', 'STATUS', 'STATUS_DATE'];

/**
 * The legacy WMS's behaviour: takes `/in` files at its batch window, answers each with an ACK
 * file, releases orders (status 10), then picks, packs and ships them in cases, reporting status
 * and shipment files, an order-status report and a full inventory snapshot.
 */
export class BatchWarehouse {
  constructor(
    readonly files: BatchFiles,
    readonly state: BatchState,
    private readonly faults: () => BatchFaults,
    private readonly random: () => number,
  ) {}

  /** The batch window: import every complete `/in` file. */
  process(): void {
    this.files.completePending();
    for (const file of this.files.inbox()) {
      this.state.filesIn += 1;
      const [header, ...rows] = file.rows;
      const col = (name: string) => header.indexOf(name);
      const ack: string[][] = [];
      const released: string[][] = [];
      const seen = new Set<string>();
      const repeated = new Set<string>();
      for (const row of rows) {
        const orderNo = row[col('ORDER_NO')];
        const action = row[col('ACTION')];
        if (action === 'C') {
          const order = this.state.orders[orderNo];
          if (order && (order.status === Status.received || order.status === Status.released)) {
            if (order.status === Status.released) this.#release(order, -1);
            order.status = Status.cancelled;
            released.push([orderNo, order.wmsOrder, Status.cancelled, wmsDate()]);
            ack.push([file.name, orderNo, 'RCV', '']);
          } else ack.push([file.name, orderNo, 'REJ', order ? 'TOO_LATE' : 'UNKNOWN_ORDER']);
          continue;
        }
        const item = row[col('ITEM_CODE')];
        if (!this.state.stock[item]) {
          ack.push([file.name, orderNo, 'REJ', 'ITEM']);
          continue;
        }
        let order = this.state.orders[orderNo];
        if (order && !seen.has(orderNo)) {
          // The same order again in a later file: the WMS keeps the first one.
          if (!repeated.has(orderNo)) order.timesReceived += 1;
          repeated.add(orderNo);
          continue;
        }
        if (!order) {
          order = this.state.orders[orderNo] = { wmsOrder: `W${++this.state.sequence}`, status: Status.received, lines: [], timesReceived: 1, shipped: false };
          seen.add(orderNo);
          ack.push([file.name, orderNo, 'RCV', '']);
        }
        order.lines.push({ lineNo: row[col('LINE_NO')], item, qty: Number(row[col('QTY')]) });
      }
      for (const orderNo of seen) {
        const order = this.state.orders[orderNo];
        if (this.faults().loseAcknowledgements) continue;
        this.#release(order, 1);
        order.status = Status.released;
        released.push([orderNo, order.wmsOrder, Status.released, wmsDate()]);
      }
      if (!this.faults().loseAcknowledgements) this.files.write('ACK', ['FILE_NAME', 'ORDER_NO', 'RESULT', 'REASON'], ack);
      if (released.length > 0) this.files.write('STS', ORDER_HEADER, released);
      this.files.done(file.name);
    }
    this.snapshots();
  }

  /**
   * Picks, packs and ships one order; `short` ships the last line at half. A line never ships
   * more than is on hand (the WMS ships short instead of counting below zero).
   */
  fulfil(orderNo: string, short: boolean): void {
    const order = this.state.orders[orderNo];
    if (!order) throw new Error(`unknown order ${orderNo}`);
    if (order.status !== Status.released && order.status !== Status.received) throw new Error(`order ${orderNo} is ${order.status}`);
    const at = wmsDate();
    const progress: string[][] = [];
    if (order.status === Status.received) {
      this.#release(order, 1);
      progress.push([orderNo, order.wmsOrder, Status.released, at]);
    }
    short ||= this.random() < this.faults().shortShipRate;
    progress.push([orderNo, order.wmsOrder, Status.picked, at], [orderNo, order.wmsOrder, Status.packed, at]);
    this.files.write('STS', ORDER_HEADER, progress);
    const shipmentNo = `SH${order.wmsOrder}`;
    const rows = order.lines.map((line, i) => {
      const stock = this.state.stock[line.item];
      const shipped = Math.min(short && i === order.lines.length - 1 ? Math.floor(line.qty / 2) : line.qty, Math.max(0, stock.onHand));
      line.shipped = shipped;
      stock.onHand -= shipped;
      stock.allocated = Math.max(0, stock.allocated - line.qty);
      const carton = shipped > 0 ? `CTN${order.wmsOrder}${i + 1}` : '';
      const tracking = shipped > 0 ? `1Z${randomBytes(8).toString('hex').toUpperCase()}` : '';
      return [orderNo, shipmentNo, line.lineNo, line.item, String(line.qty), String(shipped), unitOf(stock), carton, tracking, 'UPS', at, shipped > 0 ? '11.20' : ''];
    });
    const faults = this.faults();
    const mode = faults.halfWritten ? 'half' : faults.shortRows ? 'shortRow' : 'atomic';
    faults.halfWritten = false;
    faults.shortRows = false;
    this.files.write('SHP', ['ORDER_NO', 'SHIPMENT_NO', 'LINE_NO', 'ITEM_CODE', 'QTY_ORDERED', 'QTY_SHIPPED', 'UOM', 'CARTON_ID', 'TRACKING_NO', 'CARRIER', 'SHIP_DATE', 'WEIGHT_KG'], rows, mode);
    order.status = rows.some((r) => r[5] !== r[4]) ? Status.shippedShort : Status.shipped;
    order.shipped = true;
    this.snapshots();
  }

  /**
   * One unit of the first shipped line comes back. Sellable (condition A) goes back on hand, as
   * Odoo's return receipt puts it back in stock; damaged (B) does not.
   */
  receiveReturn(orderNo: string, condition: 'sellable' | 'damaged' = 'sellable'): string {
    const order = this.state.orders[orderNo];
    if (!order?.shipped) throw new Error(`order ${orderNo} has not shipped`);
    const line = order.lines.find((l) => (l.shipped ?? l.qty) > 0);
    if (!line) throw new Error(`order ${orderNo} shipped nothing to return`);
    const stock = (this.state.stock[line.item] ??= { onHand: 0, allocated: 0, location: 'UNSLOTTED' });
    const rma = `RMA${++this.state.sequence}`;
    this.state.returns += 1;
    const [code, reason] = condition === 'sellable' ? ['A', 'NNE'] : ['B', 'DMG'];
    this.files.write('RET', ['RMA_NO', 'ORDER_NO', 'ITEM_CODE', 'QTY', 'UOM', 'CONDITION', 'REASON', 'RECEIVED_DATE'], [[rma, orderNo, line.item, '1', unitOf(stock), code, reason, wmsDate()]]);
    if (condition === 'sellable') {
      stock.onHand += 1;
      this.snapshots();
    }
    return rma;
  }

  adjustStock(item: string, delta: number): void {
    const stock = (this.state.stock[item] ??= { onHand: 0, allocated: 0, location: 'UNSLOTTED' });
    stock.onHand += delta;
    this.snapshots();
  }

  /** The order-status report and the full inventory snapshot, rewritten after every change. */
  snapshots(): void {
    this.files.write('OST', ORDER_HEADER, Object.entries(this.state.orders).map(([no, o]) => [no, o.wmsOrder, o.status, wmsDate()]));
    const rows = Object.entries(this.state.stock).map(([item, s]) => [item, s.location, String(s.onHand), String(s.allocated), unitOf(s), wmsDate()]);
    if (this.faults().unknownSkus) rows.push(['ZZ-UNKNOWN-9', 'Q-1', '3', '0', 'CA', wmsDate()]);
    this.files.write('INV', ['ITEM_CODE', 'LOCATION', 'QTY_ON_HAND', 'QTY_ALLOCATED', 'UOM', 'SNAPSHOT_DATE'], rows);
  }

  #release(order: BatchOrder, sign: 1 | -1) {
    for (const line of order.lines) this.state.stock[line.item].allocated += sign * line.qty;
  }
}

/** The unit label the WMS writes for an item; stock from before labels were kept was in cases. */
const unitOf = (stock: { uom?: string }) => stock.uom ?? 'CA';
