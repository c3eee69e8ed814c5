import type { InventoryPosition, Order } from '../../canonical';
import type { MessageLedger } from '../../delivery/ledger';
import type { AcceptEvents, CancelOutcome, Received, SentOrder, WarehouseAdapter, WarehouseEvent, WarehouseOrderStatus } from '../warehouse-adapter';
import { MappingTables, WarehouseMapping } from '../warehouse-mapping';
import { WmsBatchConfig, type WmsBatchConfigInput } from './config';
import { Columns, kindOf, readCsv, writeCsv, type FileKind } from './csv-files';
import { FileImporter } from './file-importer';
import { inventoryEvents, orderStatusOf, returnEvents, shipmentEvents, statusEvents, toCancelRow, toInventoryPosition, toOrderRows } from './mapping';
import { AckRow, InventoryRow, ReturnRow, rowsOf, ShipmentRow, StatusRow } from './rows';
import { SftpMailbox } from './sftp-mailbox';
import { MasterDataError, SequenceError, ValidationError } from '../../errors';

/** What the adapter needs from the runtime: the message ledger, which remembers every file in and out. */
export interface WmsBatchDependencies {
  ledger: MessageLedger;
}

/**
 * The legacy CSV-over-SFTP WMS behind the `WarehouseAdapter` port. Orders go out as files in
 * `/in` (written to a temp name, then renamed); the WMS takes them in at its batch window and
 * answers with acknowledgement, status, shipment, return and inventory-snapshot files in `/out`,
 * which `receive()` imports once each. The WMS cannot be queried: stock and order status come
 * from its latest snapshot and status-report files.
 */
export class WmsBatchAdapter implements WarehouseAdapter {
  readonly dialect = 'wms-batch' as const;
  readonly capabilities = { progress: true, syncCancel: false };
  readonly warehouseId: string;
  readonly #config: WmsBatchConfig;
  readonly #tables: MappingTables;
  readonly #mailbox: SftpMailbox;
  readonly #importer: FileImporter;
  readonly #ledger: MessageLedger;
  #sequence = 0;

  constructor(config: WmsBatchConfigInput, deps: WmsBatchDependencies) {
    this.#config = WmsBatchConfig.parse(config);
    this.#tables = new MappingTables(WarehouseMapping.parse(this.#config.mapping));
    this.warehouseId = this.#tables.warehouseId;
    this.#ledger = deps.ledger;
    this.#mailbox = new SftpMailbox(this.#config.sftp, this.warehouseId);
    this.#importer = new FileImporter(this.#mailbox, deps.ledger, this.warehouseId, this.#config.folders);
  }

  async sendOrder(order: Order): Promise<SentOrder> {
    const [sent] = await this.sendOrders([order]);
    return sent;
  }

  /**
   * Writes several orders as one batch file (the WMS's preferred shape). Orders already sent are
   * left out; each order's file name is its warehouse reference.
   */
  async sendOrders(orders: Order[]): Promise<SentOrder[]> {
    // Map everything first: one unmapped SKU must not half-send a batch.
    const mapped = orders.map((order) => ({ order, rows: toOrderRows(order, this.#tables, 'A') }));
    const results = new Map<string, SentOrder>();
    const fresh: typeof mapped = [];
    for (const m of mapped) {
      const sent = this.#ledger.find(this.warehouseId, 'order', m.order.orderId);
      // An order the WMS refused is written again (after the master data was fixed); an accepted one is a repeat.
      if (sent?.state === 'output_sent' || sent?.state === 'output_sent_and_processed') {
        results.set(m.order.orderId, { warehouseRef: sent.rawPayload.split('\n')[0], duplicate: true });
        continue;
      }
      if (sent?.state === 'output_sent_and_error') this.#ledger.transition(sent.id, 'output_pending');
      fresh.push(m);
    }
    if (fresh.length > 0) {
      const name = this.#fileName('ORD');
      // Pending before the write, sent after it: a crash in between re-sends, and the WMS de-duplicates on ORDER_NO.
      const entries = fresh.map((m) => {
        const rawPayload = `${name}\n${JSON.stringify(m.rows)}`;
        return this.#ledger.record({ direction: 'out', partner: this.warehouseId, messageType: 'order', externalId: m.order.orderId, correlationId: m.order.orderId, rawPayload }).entry;
      });
      await this.#mailbox.writeAtomically(this.#config.folders.in, name, writeCsv(Columns.order, fresh.flatMap((m) => m.rows)));
      fresh.forEach((m, i) => {
        if (entries[i].state === 'output_pending') this.#ledger.transition(entries[i].id, 'output_sent');
        results.set(m.order.orderId, { warehouseRef: name, duplicate: false });
      });
    }
    return orders.map((o) => results.get(o.orderId)!);
  }

  async cancelOrder(orderId: string): Promise<CancelOutcome> {
    const name = this.#fileName('ORD');
    await this.#mailbox.writeAtomically(this.#config.folders.in, name, writeCsv(Columns.order, [toCancelRow(orderId, Columns.order)]));
    this.#ledger.record({ direction: 'out', partner: this.warehouseId, messageType: 'cancel', externalId: name, correlationId: orderId, rawPayload: orderId });
    return { status: 'requested' };
  }

  async fetchInventory(): Promise<InventoryPosition[]> {
    const latest = await this.#latest('INV');
    if (!latest) return [];
    return rowsOf(InventoryRow, latest.rows, latest.name).map((row) => toInventoryPosition(row, this.#tables, latest.name));
  }

  async fetchOrderStatus(orderId: string): Promise<WarehouseOrderStatus> {
    const latest = await this.#latest('OST');
    if (!latest) return { orderId, state: 'unknown' };
    return orderStatusOf(orderId, rowsOf(StatusRow, latest.rows, latest.name), this.#tables, latest.name);
  }

  async receive(accept?: AcceptEvents): Promise<Received> {
    return this.#importer.importAll(
      kindOf,
      async (name, kind, data) => {
        const events = this.#decode(name, kind as FileKind, data);
        return events && { events };
      },
      accept,
    );
  }

  async close(): Promise<void> {
    await this.#mailbox.close();
  }

  #decode(name: string, kind: FileKind, data: Buffer): WarehouseEvent[] | undefined {
    const parsed = readCsv(data, Columns[kind], name);
    if (!parsed.complete) return undefined;
    const t = this.#tables;
    switch (kind) {
      case 'ack': {
        const rows = rowsOf(AckRow, parsed.rows, name);
        for (const row of rows) this.#settle(row.ORDER_NO, row.RESULT === 'RCV');
        const refused = rows.filter((r) => r.RESULT === 'REJ');
        if (refused.length > 0) throw refusal(name, refused);
        return [];
      }
      case 'status':
        return statusEvents(rowsOf(StatusRow, parsed.rows, name), t, name);
      case 'shipment':
        return shipmentEvents(rowsOf(ShipmentRow, parsed.rows, name), t, name);
      case 'inventory':
        return inventoryEvents(rowsOf(InventoryRow, parsed.rows, name), t, name);
      case 'return':
        return returnEvents(rowsOf(ReturnRow, parsed.rows, name), t, name);
      case 'order_status_report':
        return [];
    }
  }

  /** Records the WMS's verdict on a sent order, so a refused one can be sent again after a fix. */
  #settle(orderId: string, accepted: boolean): void {
    const entry = this.#ledger.find(this.warehouseId, 'order', orderId);
    if (entry?.state === 'output_sent') this.#ledger.transition(entry.id, accepted ? 'output_sent_and_processed' : 'output_sent_and_error');
  }

  /** The newest complete file with this prefix, whether still in the outbox or already archived. */
  async #latest(prefix: 'INV' | 'OST'): Promise<{ name: string; rows: Record<string, string>[] } | undefined> {
    const { out, archive } = this.#config.folders;
    const candidates = [
      ...(await this.#mailbox.list(out)).map((f) => ({ dir: out, name: f.name })),
      ...(await this.#mailbox.list(archive)).map((f) => ({ dir: archive, name: f.name })),
    ]
      .filter((f) => f.name.startsWith(`${prefix}_`) && f.name.endsWith('.csv'))
      .sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    for (const file of candidates) {
      const parsed = readCsv(await this.#mailbox.read(`${file.dir}/${file.name}`), Columns[kindOf(file.name)!], file.name);
      if (parsed.complete) return { name: file.name, rows: parsed.rows };
    }
    return undefined;
  }

  /** `ORD_<client>_<yyyyMMddHHmmss>_<seq>.csv`, the WMS's naming convention. */
  #fileName(prefix: string): string {
    const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    this.#sequence = (this.#sequence + 1) % 100_000;
    return `${prefix}_${this.#config.clientCode}_${stamp}_${String(this.#sequence).padStart(5, '0')}${Math.random().toString(36).slice(2, 6).toUpperCase()}.csv`;
  }
}

/** The WMS's refusal reasons carry the category: an unknown item is master data, a late cancel is out of sequence. */
function refusal(fileName: string, refused: AckRow[]): Error {
  const message = `${fileName}: the WMS refused ${refused.map((r) => `${r.ORDER_NO} (${r.REASON})`).join(', ')}`;
  const details = { fileName, orders: refused.map((r) => r.ORDER_NO) };
  if (refused.every((r) => r.REASON === 'ITEM')) return new MasterDataError(message, details);
  if (refused.every((r) => r.REASON === 'TOO_LATE')) return new SequenceError(message, details);
  return new ValidationError(message, details);
}
