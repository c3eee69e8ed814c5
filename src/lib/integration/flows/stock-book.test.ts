import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InventoryPosition, Return, Shipment } from '../canonical';
import { openRuntimeDb, type RuntimeDb } from '../store/runtime-db';
import { anInventoryPosition, aReturn, aShipment } from '../../../../test/factories/canonical';
import type { FlowContext } from './context';
import { odooOnHand } from './inventory-sync';
import { OrderBook } from './order-book';
import { StockBook } from './stock-book';

const count = (onHand: string, asOf: string) => InventoryPosition.parse(anInventoryPosition({ sku: 'HX-1001', warehouseId: 'wms-rest', onHand, available: onHand, uom: 'Units', asOf }));

describe('StockBook', () => {
  let db: RuntimeDb;
  let book: StockBook;
  beforeEach(() => {
    db = openRuntimeDb(':memory:');
    book = new StockBook(db);
  });
  afterEach(() => db.close());

  it('keeps the latest count per location by the warehouse clock, whatever order the counts arrive in', () => {
    expect(book.take(count('40', '2026-11-27T10:00:00Z'))).toBe(true);
    expect(book.take(count('38', '2026-11-27T10:05:00+00:00'))).toBe(true);
    // An older count arriving late (a reordered webhook) does not overwrite the newer one.
    expect(book.take(count('41', '2026-11-27T09:59:00Z'))).toBe(false);
    expect(book.get('wms-rest', 'HX-1001')).toMatchObject({ onHand: '38', versions: [{ location: 'A-12-03', version: 2 }], pending: true });
  });

  it('adds up the locations a SKU is kept in; a new count in any of them makes the total pending again', () => {
    book.take(count('38', '2026-11-27T10:00:00Z'));
    book.take({ ...count('12', '2026-11-27T10:01:00Z'), location: 'B-01-01' });
    const total = book.get('wms-rest', 'HX-1001')!;
    expect(total).toMatchObject({ onHand: '50', asOf: '2026-11-27T10:01:00.000Z', pending: true });
    book.markApplied(total);
    expect(book.get('wms-rest', 'HX-1001')!.pending).toBe(false);
    book.take({ ...count('10', '2026-11-27T10:02:00Z'), location: 'B-01-01' });
    expect(book.get('wms-rest', 'HX-1001')).toMatchObject({ onHand: '48', pending: true });
    expect(book.availability()['wms-rest']['HX-1001']).toEqual({ available: '48', uom: 'Units' });
  });

  it('coalesces: once the latest counts are applied, the older ones need no write', () => {
    for (let i = 0; i < 50; i++) book.take(count(String(100 - i), new Date(Date.UTC(2026, 10, 27, 10, 0, i)).toISOString()));
    const latest = book.get('wms-rest', 'HX-1001')!;
    expect(latest).toMatchObject({ onHand: '51', versions: [{ location: 'A-12-03', version: 50 }] });
    book.markApplied(latest);
    // A slower handler finishing late never moves it back.
    book.markApplied({ ...latest, versions: [{ location: 'A-12-03', version: 3 }] });
    expect(book.get('wms-rest', 'HX-1001')!.pending).toBe(false);
  });

  it('refuses a SKU counted in different units in different locations', () => {
    book.take(count('3', '2026-11-27T10:00:00Z'));
    book.take({ ...count('1', '2026-11-27T10:00:00Z'), location: 'C-1', uom: 'Case12' });
    expect(() => book.get('wms-rest', 'HX-1001')).toThrow(/Units and Case12/);
  });

  it('gives the router a picture only of warehouses that reported', () => {
    book.take(count('7', '2026-11-27T10:00:00Z'));
    expect(book.availability()).toEqual({ 'wms-rest': { 'HX-1001': { available: '7', uom: 'Units' } } });
  });
});

describe('odooOnHand', () => {
  let db: RuntimeDb;
  let context: FlowContext;
  beforeEach(() => {
    db = openRuntimeDb(':memory:');
    const units = { Units: { code: 'Units', name: 'Units', category: 'count', ratio: '1', rounding: '1' }, Case12: { code: 'Case12', name: 'Case of 12', category: 'count', ratio: '12', rounding: '1' } } as const;
    context = { orders: new OrderBook(db), units } as unknown as FlowContext;
  });
  afterEach(() => db.close());

  const shipped = (shipmentId: string, quantity: string, uom: string, shippedAt: string) =>
    context.orders.recordShipment(Shipment.parse(aShipment({ shipmentId, orderId: `S-${shipmentId}`, warehouseId: 'wms-rest', shippedAt, lines: [{ sku: 'HX-1001', quantity, uom }] })));

  it('adds what left before the count and Odoo has not confirmed, so Odoo does not deduct it twice', () => {
    shipped('A', '5', 'Units', '2026-11-27T09:00:00.000Z');
    shipped('B', '1', 'Case12', '2026-11-27T09:30:00.000Z');
    shipped('C', '3', 'Units', '2026-11-27T11:00:00.000Z'); // after the count: not in it yet
    const at10 = { warehouseId: 'wms-rest', sku: 'HX-1001', onHand: '100', uom: 'Units', asOf: '2026-11-27T10:00:00.000Z' };
    expect(odooOnHand(context, at10)).toBe('117');
    context.orders.confirmShipment('A');
    expect(odooOnHand(context, at10)).toBe('112');
  });

  it('leaves out goods returned before the count that Odoo has not received yet', () => {
    context.orders.recordReturn(Return.parse(aReturn({ returnId: 'RMA-1', orderId: 'S-A', warehouseId: 'wms-rest', receivedAt: '2026-11-27T09:00:00.000Z', lines: [{ sku: 'HX-1001', quantity: '4', uom: 'Units', condition: 'sellable' }] })));
    const at10 = { warehouseId: 'wms-rest', sku: 'HX-1001', onHand: '100', uom: 'Units', asOf: '2026-11-27T10:00:00.000Z' };
    expect(odooOnHand(context, at10)).toBe('96');
    context.orders.confirmReturn('RMA-1');
    expect(odooOnHand(context, at10)).toBe('100');
  });

  it('refuses a shipment in a unit that cannot be converted to the count unit', () => {
    shipped('D', '2', 'kg', '2026-11-27T09:00:00.000Z');
    expect(() => odooOnHand(context, { warehouseId: 'wms-rest', sku: 'HX-1001', onHand: '1', uom: 'Units', asOf: '2026-11-27T10:00:00.000Z' })).toThrow(/no conversion/);
  });
});
