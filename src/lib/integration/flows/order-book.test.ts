import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Order } from '../canonical';
import { openRuntimeDb, type RuntimeDb } from '../store/runtime-db';
import { anOrder } from '../../../../test/factories/canonical';
import { OrderBook } from './order-book';

describe('OrderBook', () => {
  let db: RuntimeDb;
  let book: OrderBook;
  const order = Order.parse(anOrder({ orderId: 'S00042' }));
  beforeEach(() => {
    db = openRuntimeDb(':memory:');
    book = new OrderBook(db);
  });
  afterEach(() => db.close());

  it('keeps the first routing decision, so a redelivery never flips the warehouse', () => {
    book.assign(order, { warehouseId: 'wms-rest', routeId: 'chicago-midwest', reason: 'serves IL' });
    book.assign(order, { warehouseId: 'edi-3pl', routeId: 'newark-east', reason: 'a concurrent repeat' });
    expect(book.get('S00042')).toMatchObject({ warehouseId: 'wms-rest', routeId: 'chicago-midwest', status: 'routed', order: { orderId: 'S00042' } });
  });

  it('moves forward only: a late acknowledgement after the shipment changes nothing', () => {
    book.assign(order, { warehouseId: 'wms-rest', routeId: null, reason: 'r' });
    book.markSent('S00042', 'WO-1');
    expect(book.advance('S00042', 'shipped')).toBe(true);
    expect(book.advance('S00042', 'acknowledged')).toBe(false);
    expect(book.advance('S00042', 'shipped')).toBe(false);
    expect(book.get('S00042')).toMatchObject({ status: 'shipped', warehouseRef: 'WO-1' });
  });

  it('reassigns on a reroute, remembering where from and why, ready to be sent again', () => {
    book.assign(order, { warehouseId: 'wms-rest', routeId: null, reason: 'r' });
    book.markSent('S00042', 'WO-1');
    book.reassign('S00042', 'edi-3pl', 'wms-rest is down (by approver@example.com)');
    expect(book.get('S00042')).toMatchObject({ warehouseId: 'edi-3pl', status: 'routed', warehouseRef: null, reroutedFrom: 'wms-rest', rerouteReason: 'wms-rest is down (by approver@example.com)' });
  });

  it('lists orders sent but not acknowledged since before a time, for reconciliation', () => {
    book.assign(order, { warehouseId: 'wms-rest', routeId: null, reason: 'r' }, new Date('2026-11-27T10:00:00Z'));
    book.markSent('S00042', 'WO-1');
    expect(book.unacknowledged(new Date('2026-11-27T10:01:00Z')).map((o) => o.orderId)).toEqual(['S00042']);
    expect(book.unacknowledged(new Date('2026-11-27T09:59:00Z'))).toEqual([]);
    book.advance('S00042', 'acknowledged');
    expect(book.unacknowledged(new Date('2026-11-27T10:01:00Z'))).toEqual([]);
  });
});
