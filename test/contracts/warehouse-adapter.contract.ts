import Decimal from 'decimal.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { events, Order, type Shipment, eventTypes, type OrderShortShipped } from '../../src/lib/integration/canonical';
import type { WarehouseAdapter, WarehouseEvent } from '../../src/lib/integration/connectors/warehouse-adapter';
import { MasterDataError, PartnerUnavailableError, SequenceError } from '../../src/lib/integration/errors';
import { anOrder } from '../factories/canonical';

/**
 * What each adapter's test hands the contract: an adapter wired to a fresh simulator, and the
 * simulator's control plane (`/_sim/*`), which every warehouse simulator exposes alike.
 */
export interface WarehouseAdapterFixture {
  adapter: WarehouseAdapter;
  /** Base URL of the simulator's control HTTP (`…/_sim/state` etc.). */
  control: string;
  /** The warehouse's own code for a canonical SKU, where it differs (a cross-reference). */
  partnerSkus?: Record<string, string>;
  cleanup(): Promise<void>;
}

export interface WarehouseAdapterContractOptions {
  create(): Promise<WarehouseAdapterFixture>;
}

/**
 * The order every contract test sends: 24 Units of HX-1001 and 2 cases of 12 of HX-2040, i.e.
 * 24 units of each. Fixtures map both SKUs with `Units` as stock unit and `Case12` = 12 Units.
 */
export const contractOrder = (orderId: string): Order => Order.parse(anOrder({ orderId }));
const orderedUnits: Record<string, string> = { 'HX-1001': '24', 'HX-2040': '24' };

/** The simulators' shared control plane. */
class SimControl {
  constructor(private readonly base: string) {}
  async call<T = Record<string, unknown>>(path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}/_sim/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as T;
    if (!response.ok) throw new Error(`/_sim/${path} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  }
  state = () => this.call<{ received: { distinct: number; raw: number }; shipped: number; orders: Record<string, unknown> }>('state');
  process = () => this.call('process', {});
  fulfil = (orderId: string, short = false) => this.call('fulfil', { orderId, short });
  giveBack = (orderId: string) => this.call<{ returnId: string }>('return', { orderId });
  stock = (sku: string, delta: number) => this.call('stock', { sku, delta });
  faults = (faults: Record<string, unknown>) => this.call('faults', faults);
}

const ofType = <T extends WarehouseEvent['type']>(list: WarehouseEvent[], type: T) =>
  list.filter((e): e is Extract<WarehouseEvent, { type: T }> => e.type === type);

/** Every decoded event must be a valid catalog event: the runtime publishes them as they are. */
function assertPublishable(list: WarehouseEvent[]) {
  for (const e of list)
    events.create(e.type, { data: e.data, source: 'contract', correlationId: e.correlationId, idempotencyKey: e.idempotencyKey, serviceClass: 'standard' });
  expect(new Set(list.map((e) => e.idempotencyKey)).size).toBe(list.length);
}

const sumBySku = (lines: { sku: string; quantity: string }[]) => {
  const totals: Record<string, string> = {};
  for (const l of lines) totals[l.sku] = new Decimal(totals[l.sku] ?? 0).plus(l.quantity).toFixed();
  return totals;
};

export function runWarehouseAdapterContract(name: string, options: WarehouseAdapterContractOptions): void {
  describe(`WarehouseAdapter contract: ${name}`, () => {
    let fixture: WarehouseAdapterFixture;
    let adapter: WarehouseAdapter;
    let sim: SimControl;

    beforeEach(async () => {
      fixture = await options.create();
      adapter = fixture.adapter;
      sim = new SimControl(fixture.control);
    });
    afterEach(async () => {
      await adapter.close();
      await fixture.cleanup();
    });

    /** Sends, lets the warehouse take it in, and fulfils. */
    async function ship(orderId: string, short = false) {
      await adapter.sendOrder(contractOrder(orderId));
      await sim.process();
      await sim.fulfil(orderId, short);
    }

    it('creates an order once even when it is sent twice', async () => {
      const first = await adapter.sendOrder(contractOrder('S10001'));
      const again = await adapter.sendOrder(contractOrder('S10001'));
      expect(first.duplicate).toBe(false);
      expect(again).toEqual({ warehouseRef: first.warehouseRef, duplicate: true });
      await sim.process();
      const state = await sim.state();
      expect(state.received.distinct).toBe(1);
      expect(Object.keys(state.orders)).toEqual(['S10001']);
    });

    it('refuses an order with an unmapped SKU before anything reaches the warehouse', async () => {
      const order = Order.parse(anOrder({ orderId: 'S10002', lines: [{ lineId: '1', sku: 'NOPE-1', quantity: 1, uom: 'Units' }] }));
      await expect(adapter.sendOrder(order)).rejects.toThrow(MasterDataError);
      await expect(adapter.sendOrder(order)).rejects.toThrow(/NOPE-1/);
      await sim.process();
      expect((await sim.state()).received.distinct).toBe(0);
    });

    it('reports acknowledgement, progress and the shipment with tracking, each exactly once', async () => {
      await ship('S10003');
      const received = await adapter.receive();
      expect(received.rejected).toEqual([]);
      const got = received.events.filter((e) => e.correlationId === 'S10003');
      assertPublishable(got);
      const [ack] = ofType(got, eventTypes.orderAcknowledged);
      expect(ack.data).toMatchObject({ orderId: 'S10003', warehouseId: adapter.warehouseId });
      expect(ack.data.warehouseRef).not.toBe('');
      if (adapter.capabilities.progress)
        expect(ofType(got, eventTypes.orderProgressed).map((e) => e.data.status).sort()).toEqual(['packed', 'picked']);
      const shipments = ofType(got, eventTypes.shipmentShipped).map((e) => e.data as Shipment);
      expect(shipments).toHaveLength(1);
      expect(shipments[0].packages.length).toBeGreaterThan(0);
      for (const p of shipments[0].packages) expect(p.trackingNumber).toMatch(/\S{6,}/);
      expect(sumBySku(shipments[0].lines)).toEqual(orderedUnits);
      expect(shipments[0].lines.every((l) => l.uom === 'Units')).toBe(true);
      expect(ofType(got, eventTypes.orderShortShipped)).toEqual([]);

      const again = await adapter.receive();
      expect(again.events.filter((e) => e.correlationId === 'S10003')).toEqual([]);
      expect(await adapter.fetchOrderStatus('S10003')).toMatchObject({ orderId: 'S10003', state: 'shipped' });
      expect((await sim.state()).shipped).toBe(1);
    });

    it('reports a short shipment with what was ordered and what left', async () => {
      await ship('S10004', true);
      const got = (await adapter.receive()).events.filter((e) => e.correlationId === 'S10004');
      assertPublishable(got);
      const [short] = ofType(got, eventTypes.orderShortShipped);
      const data = short.data as OrderShortShipped;
      expect(data.lines).toEqual([expect.objectContaining({ sku: 'HX-2040', ordered: '24', shipped: '12', uom: 'Units' })]);
      const [shipment] = ofType(got, eventTypes.shipmentShipped);
      expect(sumBySku((shipment.data as Shipment).lines)).toEqual({ 'HX-1001': '24', 'HX-2040': '12' });
      expect((await adapter.fetchOrderStatus('S10004')).state).toBe('short_shipped');
    });

    it('cancels an order that has not been picked, and refuses to cancel a shipped one', async () => {
      await adapter.sendOrder(contractOrder('S10005'));
      await sim.process();
      const outcome = await adapter.cancelOrder('S10005');
      if (adapter.capabilities.syncCancel) expect(outcome.status).toBe('cancelled');
      else {
        expect(outcome.status).toBe('requested');
        await sim.process();
      }
      const got = (await adapter.receive()).events.filter((e) => e.correlationId === 'S10005');
      expect(ofType(got, eventTypes.orderCancelled)).toHaveLength(1);
      expect((await adapter.fetchOrderStatus('S10005')).state).toBe('cancelled');
      expect((await sim.state()).shipped).toBe(0);

      await ship('S10006');
      if (adapter.capabilities.syncCancel) await expect(adapter.cancelOrder('S10006')).rejects.toThrow(SequenceError);
      else {
        await adapter.cancelOrder('S10006');
        await sim.process();
        const late = (await adapter.receive()).events.filter((e) => e.correlationId === 'S10006');
        expect(ofType(late, eventTypes.orderCancelled)).toEqual([]);
        expect((await adapter.fetchOrderStatus('S10006')).state).toBe('shipped');
      }
    });

    it('reads the stock picture in canonical SKUs and units, and reports changes', async () => {
      const before = await adapter.fetchInventory();
      const hx = before.find((p) => p.sku === 'HX-2040')!;
      expect(hx).toMatchObject({ warehouseId: adapter.warehouseId, uom: 'Units', source: adapter.warehouseId });
      await adapter.receive();
      await sim.stock(fixture.partnerSkus?.['HX-2040'] ?? 'HX-2040', 1);
      const after = (await adapter.fetchInventory()).find((p) => p.sku === 'HX-2040')!;
      // One more of whatever the warehouse counts in: a case of 12 or a single unit.
      expect(new Decimal(after.onHand).minus(hx.onHand).toNumber()).toBeGreaterThan(0);
      const changed = ofType((await adapter.receive()).events, eventTypes.inventoryChanged).filter((e) => e.data.sku === 'HX-2040');
      expect(changed.at(-1)?.data.onHand).toBe(after.onHand);
    });

    it('reports a return received at the warehouse', async () => {
      await ship('S10007');
      await adapter.receive();
      const { returnId } = await sim.giveBack('S10007');
      const got = ofType((await adapter.receive()).events, eventTypes.returnReceived);
      expect(got).toHaveLength(1);
      expect(got[0].correlationId).toBe(returnId);
      expect(got[0].data).toMatchObject({ returnId, orderId: 'S10007', warehouseId: adapter.warehouseId });
      assertPublishable(got);
    });

    it('shows an order stuck at received when the warehouse loses its acknowledgement', async () => {
      await sim.faults({ loseAcknowledgements: true });
      await adapter.sendOrder(contractOrder('S10009'));
      await sim.process();
      const got = (await adapter.receive()).events.filter((e) => e.correlationId === 'S10009');
      expect(ofType(got, eventTypes.orderAcknowledged)).toEqual([]);
      expect((await adapter.fetchOrderStatus('S10009')).state).toBe('received');
    });

    it('says it does not know an order it was never sent', async () => {
      expect(await adapter.fetchOrderStatus('S99999')).toMatchObject({ orderId: 'S99999', state: 'unknown' });
    });

    it('turns an outage into a retryable PartnerUnavailableError and sends once when it is over', async () => {
      await sim.faults({ outage: true });
      const error = await adapter.sendOrder(contractOrder('S10008')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PartnerUnavailableError);
      expect((error as PartnerUnavailableError).retryable).toBe(true);
      await sim.faults({ outage: false });
      expect((await adapter.sendOrder(contractOrder('S10008'))).duplicate).toBe(false);
      await sim.process();
      expect((await sim.state()).received.distinct).toBe(1);
    });

    it('names an unknown SKU the warehouse reports as a master-data mismatch', async () => {
      await sim.faults({ unknownSkus: true });
      await expect(adapter.fetchInventory()).rejects.toThrow(MasterDataError);
      await expect(adapter.fetchInventory()).rejects.toThrow(/ZZ-UNKNOWN-9/);
    });
  });
}
