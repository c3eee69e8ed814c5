import { describe, expect, it } from 'vitest';
import { anInventoryPosition } from '../../../../test/factories/canonical';
import { expectIssue, expectRoundTrip } from '../../../../test/factories/schema-assertions';
import { InventoryPosition } from './inventory-position';

describe('InventoryPosition', () => {
  it('accepts a snapshot line', () => {
    const position = expectRoundTrip(InventoryPosition, anInventoryPosition());
    expect(position).toMatchObject({ onHand: '140', reserved: '24', available: '116', source: 'wms-batch' });
  });

  it('keeps negative on-hand, which reconciliation must see', () => {
    expect(InventoryPosition.parse(anInventoryPosition({ onHand: -3, available: -3, reserved: 0 })).onHand).toBe('-3');
  });

  it('names the field at fault', () => {
    expectIssue(InventoryPosition, anInventoryPosition({ reserved: -1 }), 'reserved', 'must not be negative');
    expectIssue(InventoryPosition, anInventoryPosition({ asOf: '2026-11-27 06:00' }), 'asOf', /RFC 3339/);
    expectIssue(InventoryPosition, anInventoryPosition({ sku: 'HX 1001' }), 'sku', /no spaces/);
  });
});
