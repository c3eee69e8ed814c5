import { describe, expect, it } from 'vitest';
import { anAddress, anOrder } from '../../../../test/factories/canonical';
import { expectIssue, expectRoundTrip } from '../../../../test/factories/schema-assertions';
import { Order } from './order';

describe('Order', () => {
  it('accepts a released Odoo order and normalises quantities', () => {
    const order = expectRoundTrip(Order, anOrder());
    expect(order.lines.map((l) => l.quantity)).toEqual(['24', '2']);
    expect(order.serviceLevel).toBe('expedited');
    expect(order.warehouseId).toBeUndefined();
  });

  it('defaults the service level to standard', () => {
    const { serviceLevel: _omitted, ...withoutLevel } = anOrder();
    expect(Order.parse(withoutLevel).serviceLevel).toBe('standard');
  });

  it('names the field at fault', () => {
    expectIssue(Order, anOrder({ lines: [] }), 'lines', 'an order needs at least one line');
    expectIssue(Order, anOrder({ lines: [{ lineId: '1', sku: 'HX-1001', quantity: 0, uom: 'Units' }] }), 'lines.0.quantity', 'must be greater than zero');
    expectIssue(Order, anOrder({ shipTo: anAddress({ country: 'USA' }) }), 'shipTo.country', /ISO 3166-1 alpha-2/);
    expectIssue(Order, anOrder({ shipTo: anAddress({ email: 'not-an-email' }) }), 'shipTo.email', /email/i);
    expectIssue(Order, anOrder({ releasedAt: 'yesterday' }), 'releasedAt', /RFC 3339/);
    expectIssue(Order, anOrder({ serviceLevel: 'teleport' }), 'serviceLevel', /Invalid option/);
    expectIssue(Order, { ...anOrder(), orderId: undefined }, 'orderId', /expected string/);
  });

  it('refuses duplicate line ids, which shipments could not tell apart', () => {
    const lines = [
      { lineId: '1', sku: 'HX-1001', quantity: 1, uom: 'Units' },
      { lineId: '1', sku: 'HX-2040', quantity: 1, uom: 'Units' },
    ];
    expectIssue(Order, anOrder({ lines }), 'lines.1.lineId', 'duplicate line id 1');
  });
});
