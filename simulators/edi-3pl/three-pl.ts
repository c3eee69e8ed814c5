import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { interchange, segments, x12Date, type X12Party } from './x12-writer';

export interface ThreePlOrder {
  status: 'accepted' | 'shipped' | 'cancelled';
  /** `shipped` is set once the order ships (absent in state written before it was kept). */
  lines: { lineId: string; item: string; qty: number; uom: string; shipped?: number }[];
  /** 940 originals received for this order (re-sends included). */
  timesReceived: number;
}

export interface ThreePlState {
  orders: Record<string, ThreePlOrder>;
  stock: Record<string, { onHand: number; allocated: number; uom: string }>;
  isaControl: number;
  gsControl: number;
  interchangesIn: number;
  acksFromDepositor: { accepted: number; rejected: number };
  returns: number;
}

export interface ThreePlFaults {
  loseAcknowledgements: boolean;
  unknownSkus: boolean;
  shortShipRate: number;
  /** The next interchange written has an SE01 that disagrees with its segments. */
  wrongSegmentCount: boolean;
  /** The next interchange reuses the previous ISA13. */
  reuseControlNumber: boolean;
}

/**
 * The 3PL's behaviour: picks up 940s from `/in`, answers each group with a 997 (AK5 R for unknown
 * items or a cancel that comes too late), ships with a 945 per order (one LX loop per carton,
 * MAN tracking), reports stock with an 846 and returns with a 180, all into `/out`.
 */
export class ThreePl {
  constructor(
    readonly root: string,
    readonly state: ThreePlState,
    private readonly us: X12Party,
    private readonly depositor: X12Party,
    private readonly faults: () => ThreePlFaults,
    private readonly random: () => number,
  ) {
    for (const dir of ['in', 'in/done', 'out', 'archive', 'error']) mkdirSync(join(root, dir), { recursive: true });
  }

  /** Reads every complete interchange in `/in` (the 3PL's translator run). */
  process(): void {
    for (const name of readdirSync(join(this.root, 'in')).filter((n) => n.endsWith('.x12')).sort()) {
      const segs = segments(readFileSync(join(this.root, 'in', name), 'latin1'));
      this.state.interchangesIn += 1;
      const gs = segs.find((s) => s[0] === 'GS')!;
      if (gs[1] === 'FA') this.#depositorAck(segs);
      else if (gs[1] === 'OW') this.#orders(gs, segs);
      renameSync(join(this.root, 'in', name), join(this.root, 'in/done', name));
    }
    this.inventoryAdvice();
  }

  #depositorAck(segs: string[][]) {
    const ak9 = segs.find((s) => s[0] === 'AK9');
    if (ak9?.[1] === 'A') this.state.acksFromDepositor.accepted += 1;
    else this.state.acksFromDepositor.rejected += 1;
  }

  #orders(gs: string[], segs: string[][]) {
    const acks: string[][] = [['AK1', 'OW', gs[6]]];
    let accepted = 0;
    let sets = 0;
    for (let i = 0; i < segs.length; i++) {
      if (segs[i][0] !== 'ST') continue;
      sets += 1;
      const end = segs.findIndex((s, j) => j > i && s[0] === 'SE');
      const body = segs.slice(i + 1, end);
      const ok = this.#order(body);
      if (ok) accepted += 1;
      acks.push(['AK2', '940', segs[i][2]], ok ? ['AK5', 'A'] : ['AK5', 'R', '5']);
    }
    acks.push(['AK9', accepted === sets ? 'A' : accepted === 0 ? 'R' : 'P', String(sets), String(sets), String(accepted)]);
    if (!this.faults().loseAcknowledgements) this.write('997', 'FA', [{ id: '997', segments: acks }]);
  }

  /** Applies one 940; false means the set is rejected in the 997. */
  #order(body: string[][]): boolean {
    const w05 = body.find((s) => s[0] === 'W05');
    if (!w05) return false;
    const orderNo = w05[2];
    const existing = this.state.orders[orderNo];
    if (w05[1] === 'F') {
      if (!existing || existing.status === 'shipped') return false;
      if (existing.status === 'accepted') for (const l of existing.lines) this.state.stock[l.item].allocated -= l.qty;
      existing.status = 'cancelled';
      return true;
    }
    if (existing) {
      existing.timesReceived += 1;
      return true;
    }
    const lines: ThreePlOrder['lines'] = [];
    for (let i = 0; i < body.length; i++) {
      if (body[i][0] !== 'W01') continue;
      const n9 = body[i + 1]?.[0] === 'N9' && body[i + 1][1] === 'LI' ? body[i + 1][2] : String(lines.length + 1);
      lines.push({ lineId: n9, item: body[i][5], qty: Number(body[i][1]), uom: body[i][2] });
    }
    if (lines.length === 0 || lines.some((l) => !this.state.stock[l.item])) return false;
    for (const l of lines) this.state.stock[l.item].allocated += l.qty;
    this.state.orders[orderNo] = { status: 'accepted', lines, timesReceived: 1 };
    return true;
  }

  /**
   * Ships an order with a 945: one carton per line; `short` ships the last line at half. A line
   * never ships more than is on hand (the 3PL ships short instead of counting below zero).
   */
  ship(orderNo: string, short: boolean): void {
    const order = this.state.orders[orderNo];
    if (order?.status !== 'accepted') throw new Error(`order ${orderNo} is ${order?.status ?? 'unknown'}`);
    short ||= this.random() < this.faults().shortShipRate;
    const bol = `BOL${randomBytes(4).toString('hex').toUpperCase()}`;
    const body: string[][] = [['W06', 'F', orderNo, x12Date(), bol, `SHP${orderNo}`], ['N1', 'ST', 'CUSTOMER'], ['W27', 'M', 'UPSN', 'UPS GROUND', 'PP']];
    let total = 0;
    order.lines.forEach((line, i) => {
      const stock = this.state.stock[line.item];
      const shipped = Math.min(short && i === order.lines.length - 1 ? Math.floor(line.qty / 2) : line.qty, Math.max(0, stock.onHand));
      line.shipped = shipped;
      total += shipped;
      stock.onHand -= shipped;
      stock.allocated -= line.qty;
      body.push(['LX', String(i + 1)]);
      if (shipped > 0) body.push(['MAN', 'CP', `1Z${randomBytes(8).toString('hex').toUpperCase()}`]);
      body.push(['W12', shipped === line.qty ? 'CC' : 'CP', String(line.qty), String(shipped), String(line.qty - shipped), line.uom, '', 'VN', line.item], ['N9', 'LI', line.lineId]);
    });
    body.push(['W03', String(total), '25', 'LB']);
    order.status = 'shipped';
    this.write('945', 'SW', [{ id: '945', segments: body }]);
    this.inventoryAdvice();
  }

  /**
   * A 180 for one unit of the first shipped line. Sellable (`RS`) goes back on hand, as Odoo's
   * return receipt puts it back in stock, and a new 846 says so; damaged (`SC`) does not.
   */
  receiveReturn(orderNo: string, condition: 'sellable' | 'damaged' = 'sellable'): string {
    const order = this.state.orders[orderNo];
    if (order?.status !== 'shipped') throw new Error(`order ${orderNo} has not shipped`);
    const line = order.lines.find((l) => (l.shipped ?? l.qty) > 0);
    if (!line) throw new Error(`order ${orderNo} shipped nothing to return`);
    const rma = `RMA${++this.state.returns}${orderNo}`;
    const rdr = condition === 'sellable' ? ['RDR', 'NN', 'RS'] : ['RDR', 'DM', 'SC'];
    this.write('180', 'AN', [{ id: '180', segments: [['BGN', '00', rma, x12Date()], ['N9', 'CO', orderNo], ['BLI', 'VN', line.item, '1', line.uom], rdr] }]);
    if (condition === 'sellable') {
      (this.state.stock[line.item] ??= { onHand: 0, allocated: 0, uom: line.uom }).onHand += 1;
      this.inventoryAdvice();
    }
    return rma;
  }

  adjust(item: string, delta: number): void {
    (this.state.stock[item] ??= { onHand: 0, allocated: 0, uom: 'EA' }).onHand += delta;
    this.inventoryAdvice();
  }

  /** A full 846: on hand (17) and available (33) per item. */
  inventoryAdvice(): void {
    const body: string[][] = [['BIA', '00', 'MM', `INV${this.state.isaControl + 1}`, x12Date(), new Date().toISOString().slice(11, 16).replace(':', '')]];
    const items = Object.entries(this.state.stock).map(([item, s]) => [item, s.onHand, s.onHand - s.allocated, s.uom] as const);
    if (this.faults().unknownSkus) items.push(['ZZ-UNKNOWN-9', 3, 3, 'EA']);
    for (const [item, onHand, available, uom] of items) body.push(['LIN', '', 'VN', item], ['QTY', '17', String(onHand), uom], ['QTY', '33', String(available), uom]);
    this.write('846', 'IB', [{ id: '846', segments: body }]);
  }

  /** Writes an interchange to `/out` atomically; faults can damage or mis-number it. */
  write(prefix: string, functionalId: string, sets: { id: string; segments: string[][] }[]): string {
    const faults = this.faults();
    const isa = faults.reuseControlNumber ? this.state.isaControl : ++this.state.isaControl;
    const text = interchange(this.us, this.depositor, isa, ++this.state.gsControl, functionalId, sets, { wrongSegmentCount: faults.wrongSegmentCount });
    faults.wrongSegmentCount = false;
    faults.reuseControlNumber = false;
    const name = `${prefix}_${String(this.state.gsControl).padStart(9, '0')}.x12`;
    writeFileSync(join(this.root, 'out', `${name}.tmp`), text, 'latin1');
    renameSync(join(this.root, 'out', `${name}.tmp`), join(this.root, 'out', name));
    return name;
  }
}
