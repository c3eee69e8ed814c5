import { type InventoryPosition, type Order, eventTypes } from '../../canonical';
import type { MessageLedger } from '../../delivery/ledger';
import { IntegrationError, SequenceError, ValidationError } from '../../errors';
import type { RuntimeDb } from '../../store/runtime-db';
import type { AcceptEvents, CancelOutcome, Received, RejectedMessage, SentOrder, WarehouseAdapter, WarehouseEvent, WarehouseOrderStatus } from '../warehouse-adapter';
import { decoded } from '../warehouse-adapter';
import { MappingTables, WarehouseMapping } from '../warehouse-mapping';
import { FileImporter, type Decoded } from '../wms-batch/file-importer';
import { SftpMailbox } from '../wms-batch/sftp-mailbox';
import { from997, to997 } from './ack997';
import { Edi3plConfig, type Edi3plConfigInput } from './config';
import { ControlNumbers } from './control-numbers';
import { cancel940, from180, from846, from945, to940 } from './mapping';
import { OrderStatusStore } from './order-status-store';
import { parseX12, writeX12, type EnvelopeIds, type FunctionalGroup, type Interchange, type TransactionSet } from './x12-document';

/** A 940 whose 997 did not arrive within the SLA: the 3PL may never have received the order. */
export class AcknowledgementOverdueError extends IntegrationError {
  readonly category = 'sla_breach' as const;
}

export interface Edi3plDependencies {
  ledger: MessageLedger;
  /** The runtime database, for control numbers and the order-status projection. */
  db: RuntimeDb;
}

/** Functional group ids (GS01) we read, by transaction set. */
const inboundGroups: Record<string, string> = { FA: '997', SW: '945', IB: '846', AN: '180' };

/**
 * The X12 4010 3PL behind the `WarehouseAdapter` port, over an SFTP mailbox: 940 out (one
 * interchange per order or cancel, control numbers persisted per partner), 997 in (accepts or
 * rejects our 940s; a rejection is a `ValidationError`), 945/846/180 in, and our own 997 back for
 * each inbound group. Inbound interchanges are imported once by file name and by ISA13.
 */
export class Edi3plAdapter implements WarehouseAdapter {
  readonly dialect = 'edi-3pl' as const;
  readonly capabilities = { progress: false, syncCancel: false };
  readonly warehouseId: string;
  readonly #config: Edi3plConfig;
  readonly #tables: MappingTables;
  readonly #mailbox: SftpMailbox;
  readonly #importer: FileImporter;
  readonly #ledger: MessageLedger;
  readonly #controls: ControlNumbers;
  readonly #status: OrderStatusStore;
  readonly #ids: EnvelopeIds;

  constructor(config: Edi3plConfigInput, deps: Edi3plDependencies) {
    this.#config = Edi3plConfig.parse(config);
    this.#tables = new MappingTables(WarehouseMapping.parse(this.#config.mapping));
    this.warehouseId = this.#tables.warehouseId;
    this.#ledger = deps.ledger;
    this.#controls = new ControlNumbers(deps.db);
    this.#status = new OrderStatusStore(deps.db);
    this.#mailbox = new SftpMailbox(this.#config.sftp, this.warehouseId);
    this.#importer = new FileImporter(this.#mailbox, deps.ledger, this.warehouseId, this.#config.folders);
    const q = this.#config.qualifier;
    this.#ids = { senderQualifier: q, senderId: this.#config.ourId, receiverQualifier: q, receiverId: this.#config.partnerId, usage: this.#config.usage };
  }

  async sendOrder(order: Order): Promise<SentOrder> {
    const previous = this.#ledger.find(this.warehouseId, '940', order.orderId);
    // A 940 the 3PL rejected is sent again (after the master data was fixed); any other sent one is a repeat.
    if (previous?.state === 'output_sent_and_error') this.#ledger.transition(previous.id, 'output_pending');
    else if (previous?.state.startsWith('output_sent')) return { warehouseRef: previous.rawPayload.split('\n')[0], duplicate: true };
    const ref = await this.#send('940', order.orderId, (control) => to940(order, this.#tables, control));
    this.#status.advance(this.warehouseId, order.orderId, 'received', ref);
    return { warehouseRef: ref, duplicate: false };
  }

  async cancelOrder(orderId: string): Promise<CancelOutcome> {
    await this.#send('940-cancel', orderId, (control) => cancel940(orderId, control));
    return { status: 'requested' };
  }

  async fetchInventory(): Promise<InventoryPosition[]> {
    const { out, archive } = this.#config.folders;
    const files = [
      ...(await this.#mailbox.list(out)).map((f) => `${out}/${f.name}`),
      ...(await this.#mailbox.list(archive)).map((f) => `${archive}/${f.name}`),
    ]
      .filter((p) => /\/846_[^/]*\.x12$/.test(p))
      .sort((a, b) => (a.split('/').at(-1)! < b.split('/').at(-1)! ? 1 : -1));
    if (files.length === 0) return [];
    const [interchange] = parseX12((await this.#mailbox.read(files[0])).toString('latin1'), files[0]);
    return interchange.groups.flatMap((g) => g.sets.flatMap((set) => from846(set, this.#tables, `${files[0]} ST ${set.control}`)));
  }

  async fetchOrderStatus(orderId: string): Promise<WarehouseOrderStatus> {
    return this.#status.get(this.warehouseId, orderId);
  }

  async receive(accept?: AcceptEvents): Promise<Received> {
    return this.#importer.importAll((name) => (/^(997|945|846|180)_[A-Za-z0-9_.-]+\.x12$/.test(name) ? name.slice(0, 3) : undefined), (name, _kind, data) => this.#decode(name, data), accept);
  }

  /**
   * 940s sent longer than the SLA ago without a 997: each is an `sla_breach` exception to raise.
   * Read from the ledger (a 940 no 997 answered stays `output_sent`), so a 3PL that ships without
   * ever acknowledging is caught too.
   */
  overdueAcknowledgements(now = Date.now()): AcknowledgementOverdueError[] {
    return this.#ledger
      .waiting(this.warehouseId, '940', 'output_sent', new Date(now - this.#config.ackSlaMs).toISOString())
      .map((e) => new AcknowledgementOverdueError(`no 997 for the 940 of ${e.externalId} (ISA ${e.rawPayload.split('\n')[0]}) since ${e.updatedAt}`, { orderId: e.externalId, warehouseRef: e.rawPayload.split('\n')[0] }));
  }

  async close(): Promise<void> {
    await this.#mailbox.close();
  }

  /** Writes one 940 interchange; the ledger links its group control number back to the order for the 997. */
  async #send(kind: '940' | '940-cancel', orderId: string, build: (stControl: string) => TransactionSet): Promise<string> {
    const control = this.#controls.next(this.warehouseId);
    const text = writeX12(this.#ids, control, 'OW', [build('0001')]);
    const ref = String(control.isa).padStart(9, '0');
    const entry = this.#ledger.record({ direction: 'out', partner: this.warehouseId, messageType: kind === '940' ? '940' : `940-cancel:${ref}`, externalId: orderId, correlationId: orderId, rawPayload: `${ref}\n${text}` }).entry;
    this.#ledger.record({ direction: 'out', partner: this.warehouseId, messageType: 'OW-group', externalId: String(control.gs), correlationId: orderId, rawPayload: JSON.stringify({ orderId, kind, entryId: entry.id }) });
    await this.#mailbox.writeAtomically(this.#config.folders.in, `940_${ref}.x12`, Buffer.from(text, 'latin1'));
    if (entry.state === 'output_pending') this.#ledger.transition(entry.id, 'output_sent');
    return ref;
  }

  async #decode(name: string, data: Buffer): Promise<Decoded> {
    const events: WarehouseEvent[] = [];
    const rejected: RejectedMessage[] = [];
    for (const interchange of parseX12(data.toString('latin1'), name)) {
      if (interchange.senderId !== this.#config.partnerId || interchange.receiverId !== this.#config.ourId)
        throw new ValidationError(`${name}: interchange from ${interchange.senderId} to ${interchange.receiverId}, expected ${this.#config.partnerId} to ${this.#config.ourId}`, { name });
      // The 3PL's ISA13 is unique per sender: the same number in another file is a re-send (skip it) or a
      // reused number with other content (refuse it). The same file read again finishes an interrupted import.
      const text = data.toString('latin1');
      const seen = this.#ledger.record({ direction: 'in', partner: this.warehouseId, messageType: 'ISA', externalId: interchange.control, rawPayload: `${name}\n${text}` });
      if (seen.duplicate && !seen.samePayload) {
        if (seen.entry.rawPayload.slice(seen.entry.rawPayload.indexOf('\n') + 1) !== text)
          rejected.push({ externalId: `${name} ISA ${interchange.control}`, error: new ValidationError(`${name}: interchange control number ${interchange.control} was already used for different content`, { control: interchange.control }), rawPayload: text });
        continue;
      }
      for (const group of interchange.groups) await this.#decodeGroup(name, interchange, group, events, rejected);
    }
    return { events, rejected };
  }

  async #decodeGroup(name: string, interchange: Interchange, group: FunctionalGroup, events: WarehouseEvent[], rejected: RejectedMessage[]) {
    const setId = inboundGroups[group.functionalId];
    if (!setId) throw new ValidationError(`${name}: functional group ${group.functionalId} is not one we read`, { name });
    const refusedSets = new Set<string>();
    for (const set of group.sets) {
      const where = `${name} ISA ${interchange.control} ST ${set.control}`;
      try {
        if (set.id !== setId) throw new ValidationError(`${where}: a ${set.id} in a ${group.functionalId} group`, { where });
        events.push(...this.#decodeSet(set, where));
      } catch (error) {
        refusedSets.add(set.control);
        rejected.push({ externalId: where, error: error as Error, rawPayload: JSON.stringify(set) });
      }
    }
    // Every group but a 997 gets our 997, so the 3PL knows which sets we took.
    if (setId !== '997') {
      const control = this.#controls.next(this.warehouseId);
      const ack = writeX12(this.#ids, control, 'FA', [to997(group, refusedSets, '0001')]);
      await this.#mailbox.writeAtomically(this.#config.folders.in, `997_${String(control.isa).padStart(9, '0')}.x12`, Buffer.from(ack, 'latin1'));
    }
  }

  #decodeSet(set: TransactionSet, where: string): WarehouseEvent[] {
    const w = this.warehouseId;
    switch (set.id) {
      case '945': {
        const found = from945(set, this.#tables, where);
        // A 945 for an order we never sent, or cancelled, is a real anomaly (someone else's order, a
        // missed cancel): refuse the set for review rather than ship in Odoo what we never released.
        const orderId = found[0]?.correlationId;
        const known = orderId ? this.#status.get(w, orderId).state : 'unknown';
        if (orderId && (known === 'unknown' || known === 'cancelled'))
          throw new SequenceError(`${where}: 945 for ${orderId}, which ${known === 'unknown' ? 'we never sent' : 'was cancelled'}`, { orderId, state: known });
        for (const e of found) {
          if (e.type === eventTypes.shipmentShipped) this.#status.advance(w, e.correlationId, 'shipped');
          if (e.type === eventTypes.orderShortShipped) this.#status.advance(w, e.correlationId, 'short_shipped');
        }
        return found;
      }
      case '846':
        return from846(set, this.#tables, where).map((p) => decoded(eventTypes.inventoryChanged, p, `inventory:${w}:${p.sku}`, `${w}:inv:${where}:${p.sku}`));
      case '180':
        return [from180(set, this.#tables, where)];
      default:
        return this.#acknowledged(set, where);
    }
  }

  /** A 997 for our 940s: accepted ones are acknowledged (or cancelled); a rejected original 940 is a ValidationError. */
  #acknowledged(set: TransactionSet, where: string): WarehouseEvent[] {
    const ack = from997(set, where);
    if (ack.functionalId !== 'OW') return [];
    const group = this.#ledger.find(this.warehouseId, 'OW-group', ack.groupControl);
    if (!group) throw new SequenceError(`${where}: 997 for group ${ack.groupControl}, which we never sent`, { where });
    const sent = JSON.parse(group.rawPayload) as { orderId: string; kind: '940' | '940-cancel'; entryId: string };
    const accepted = ack.groupStatus !== 'R' && ack.sets.every((s) => s.status !== 'R');
    const entry = this.#ledger.get(sent.entryId);
    if (entry?.state === 'output_sent') this.#ledger.transition(entry.id, accepted ? 'output_sent_and_processed' : 'output_sent_and_error');
    const at = new Date().toISOString();
    const w = this.warehouseId;
    if (!accepted) {
      if (sent.kind === '940-cancel') throw new SequenceError(`${where}: the 3PL refused to cancel ${sent.orderId}`, { orderId: sent.orderId });
      throw new ValidationError(`${where}: the 3PL rejected the 940 for ${sent.orderId} (AK5 ${ack.sets.map((s) => `${s.status}${s.errorCode ? `/${s.errorCode}` : ''}`).join(',')})`, { orderId: sent.orderId });
    }
    if (sent.kind === '940-cancel') {
      this.#status.advance(w, sent.orderId, 'cancelled');
      return [decoded(eventTypes.orderCancelled, { orderId: sent.orderId, warehouseId: w, at }, sent.orderId, `${w}:cancel:${sent.orderId}`)];
    }
    const ref = entry?.rawPayload.split('\n')[0] ?? ack.groupControl;
    this.#status.advance(w, sent.orderId, 'acknowledged', ref);
    return [decoded(eventTypes.orderAcknowledged, { orderId: sent.orderId, warehouseId: w, warehouseRef: ref, acknowledgedAt: at }, sent.orderId, `${w}:ack:${sent.orderId}`)];
  }
}
