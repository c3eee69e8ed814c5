import { describe, expect, it } from 'vitest';
import { Order, eventTypes } from '../../canonical';
import { MasterDataError } from '../../errors';
import { anOrder } from '../../../../../test/factories/canonical';
import { MappingTables, WarehouseMapping } from '../warehouse-mapping';
import mappingJson from './fixtures/mapping.json';
import shippedJson from './fixtures/order-shipped.webhook.json';
import { inventoryEvent, orderState, toWmsOrder, webhookEvents } from './mapping';
import { WmsWebhook } from './wire';

const tables = new MappingTables(WarehouseMapping.parse(mappingJson));

describe('wms-rest mapping', () => {
  it('builds the create-order body in units, with the carrier for the service level', () => {
    const body = toWmsOrder(Order.parse(anOrder()), tables);
    expect(body).toMatchObject({
      reference_id: 'S00042',
      shipping_method: { carrier: 'UPS', service: '2nd Day Air' },
      ship_to: { address1: '410 Commerce Park Dr', state: 'OH', zip: '43219', country: 'US' },
      lines: [
        { line_ref: '1', sku: 'HX-1001', quantity: 24 },
        { line_ref: '2', sku: 'HX-2040', quantity: 24 },
      ],
    });
  });

  it('decodes a shipped webhook into one shipment with its packages and a short line', () => {
    const hook = WmsWebhook.parse(shippedJson);
    const events = webhookEvents(hook, tables);
    expect(events.map((e) => [e.type, e.idempotencyKey])).toEqual([
      [eventTypes.shipmentShipped, 'wms-rest:shipment:SHP-88120'],
      [eventTypes.orderShortShipped, 'wms-rest:short:S00042'],
    ]);
    expect(events[0].data).toMatchObject({
      carrier: 'UPS',
      packages: [
        { packageId: 'PKG-88120-1', trackingNumber: '1Z999AA10123456784', weightKg: '4.2' },
        { packageId: 'PKG-88120-2', trackingNumber: '1Z999AA10123456795', weightKg: '3.1' },
      ],
      lines: [
        { lineId: '1', sku: 'HX-1001', quantity: '24', uom: 'Units' },
        { lineId: '2', sku: 'HX-2040', quantity: '18', uom: 'Units' },
      ],
    });
    expect(events[1].data).toMatchObject({ lines: [{ lineId: '2', sku: 'HX-2040', ordered: '24', shipped: '18' }] });
    expect(orderState(hook.type === 'order.shipped' ? hook.data.order : (undefined as never))).toBe('short_shipped');
  });

  it('keeps negative stock as a fact and names an unknown SKU', () => {
    const item = { sku: 'HX-1001', on_hand: -2, committed: 0, available: -2, updated_at: '2026-11-27T06:00:00Z' };
    expect(inventoryEvent(item, tables).data).toMatchObject({ onHand: '-2', available: '-2', reserved: '0' });
    expect(() => inventoryEvent({ ...item, sku: 'ZZ-9' }, tables)).toThrow(MasterDataError);
    expect(() => inventoryEvent({ ...item, sku: 'ZZ-9' }, tables)).toThrow('warehouse wms-rest reported unknown SKU ZZ-9');
  });

  it('names a missing carrier mapping instead of guessing one', () => {
    const partial = new MappingTables(WarehouseMapping.parse({ ...mappingJson, carriers: { standard: mappingJson.carriers.standard } }));
    expect(() => toWmsOrder(Order.parse(anOrder({ serviceLevel: 'overnight' })), partial)).toThrow(/no carrier for service level overnight/);
  });
});
