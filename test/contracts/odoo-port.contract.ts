import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Return, Shipment } from '../../src/lib/integration/canonical';
import type { OdooPort, ReleasedOrder } from '../../src/lib/integration/connectors/odoo';
import { SequenceError } from '../../src/lib/integration/errors';
import { aReturn, aShipment } from '../factories/canonical';

/** What an implementation's test hands the contract: a port over an Odoo seeded like the simulator. */
export interface OdooPortFixture {
  port: OdooPort;
  /** A second port over the same Odoo with an empty runtime database (our records lost). */
  amnesiac(): OdooPort;
  /** Releases `count` new orders in Odoo and returns their names. */
  releaseOrders(count: number): Promise<string[]>;
  /** Effects Odoo recorded (the simulator's `/_sim/state` counters). */
  counters(): Promise<Record<string, number>>;
  cleanup(): Promise<void>;
}

/**
 * The behaviour every `OdooPort` must show, whatever the Odoo version and protocol behind it:
 * canonical reads that return each change once, and writes whose repeats have no second effect.
 */
export function runOdooPortContract(name: string, expectedMajor: number, create: () => Promise<OdooPortFixture>) {
  describe(`OdooPort contract: ${name}`, () => {
    let fx: OdooPortFixture;
    beforeAll(async () => {
      fx = await create();
    });
    afterAll(async () => fx?.cleanup());

    const released = async (): Promise<ReleasedOrder> => {
      const [orderName] = await fx.releaseOrders(1);
      const batch = await fx.port.pullReleasedOrders();
      batch.commit();
      return batch.items.find((i) => i.order.orderId === orderName)!;
    };

    it('speaks the expected version', async () => {
      expect((await fx.port.dialect()).major).toBe(expectedMajor);
    });

    it('reads master data: warehouses, products with SKUs and units, stock positions', async () => {
      expect((await fx.port.listWarehouses()).map((w) => w.code)).toEqual(['WH', 'DAL', 'NJ3']);
      const products = await fx.port.pullProducts();
      expect(products.items.map((p) => p.product.sku)).toContain('ACM-1001');
      expect(products.items.find((p) => p.product.sku === 'ACM-4001')?.product.uom).toBe('m');
      const stock = await fx.port.pullInventory();
      expect(stock.items.filter((p) => p.sku === 'ACM-1001').map((p) => p.warehouseId).sort()).toEqual(['DAL', 'NJ3', 'WH']);
    });

    it('returns each released order once, as a canonical order', async () => {
      const names = await fx.releaseOrders(2);
      const batch = await fx.port.pullReleasedOrders();
      batch.commit();
      expect(batch.items.map((i) => i.order.orderId)).toEqual(expect.arrayContaining(names));
      expect((await fx.port.pullReleasedOrders()).items).toEqual([]);
    });

    it('confirms a shipment once, and refuses another on the done delivery', async () => {
      const order = await released();
      const lines = order.order.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity, uom: l.uom }));
      const shipment = Shipment.parse(aShipment({ shipmentId: `C-${order.order.orderId}`, orderId: order.order.orderId, packages: [{ packageId: 'P', trackingNumber: `T-${order.order.orderId}` }], lines }));
      const before = await fx.counters();
      const first = await fx.port.confirmShipment(shipment);
      expect(first.duplicate).toBe(false);
      expect((await fx.port.confirmShipment(shipment)).duplicate).toBe(true);
      expect((await fx.amnesiac().confirmShipment(shipment)).duplicate).toBe(true);
      expect((await fx.counters()).pickingsValidated).toBe(before.pickingsValidated + 1);
      const other = Shipment.parse({ ...shipment, shipmentId: 'C-OTHER', packages: [{ packageId: 'P2', trackingNumber: 'T-OTHER' }] });
      await expect(fx.port.confirmShipment(other)).rejects.toBeInstanceOf(SequenceError);
    });

    it('adjusts inventory once per count', async () => {
      const before = await fx.counters();
      const count = { key: `K-${name}`, sku: 'ACM-1005', warehouseCode: 'NJ3', quantity: '123', uom: 'Units' };
      expect((await fx.port.adjustInventory(count)).changed).toBe(true);
      expect((await fx.port.adjustInventory(count)).duplicate).toBe(true);
      expect((await fx.amnesiac().adjustInventory(count)).changed).toBe(false);
      expect((await fx.counters()).quantsAdjusted).toBe(before.quantsAdjusted + 1);
    });

    it('receives a return once', async () => {
      const order = await released();
      const lines = order.order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, uom: l.uom }));
      await fx.port.confirmShipment(Shipment.parse(aShipment({ shipmentId: `R-${order.order.orderId}`, orderId: order.order.orderId, packages: [{ packageId: 'P', trackingNumber: `RT-${order.order.orderId}` }], lines })));
      const ret = Return.parse(aReturn({ returnId: `RMA-${order.order.orderId}`, orderId: order.order.orderId, lines: [{ sku: lines[0].sku, quantity: '1', uom: lines[0].uom, condition: 'sellable' }] }));
      const before = await fx.counters();
      expect((await fx.port.receiveReturn(ret)).duplicate).toBe(false);
      expect((await fx.port.receiveReturn(ret)).duplicate).toBe(true);
      expect((await fx.amnesiac().receiveReturn(ret)).duplicate).toBe(true);
      expect((await fx.counters()).returnsCreated).toBe(before.returnsCreated + 1);
    });
  });
}
