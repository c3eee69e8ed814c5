import { describe, expect, it } from 'vitest';
import { aShipment } from '../../../../test/factories/canonical';
import { expectIssue, expectRoundTrip } from '../../../../test/factories/schema-assertions';
import { Shipment, trackingNumbers } from './shipment';

describe('Shipment', () => {
  it('accepts a shipment with packages and shipped lines', () => {
    const shipment = expectRoundTrip(Shipment, aShipment());
    expect(trackingNumbers(shipment)).toEqual(['1Z999AA10123456784', '1Z999AA10123456795']);
    expect(shipment.packages[1].weightKg).toBeUndefined();
    expect(shipment.packages[0].weightKg).toBe('4.2');
  });

  it('names the field at fault', () => {
    expectIssue(Shipment, aShipment({ packages: [] }), 'packages', 'a shipment needs at least one package');
    expectIssue(Shipment, aShipment({ lines: [] }), 'lines', 'a shipment needs at least one shipped line');
    expectIssue(
      Shipment,
      aShipment({ packages: [{ packageId: 'P', trackingNumber: '', lines: [] }] }),
      'packages.0.trackingNumber',
      'a package needs a tracking number',
    );
    expectIssue(Shipment, aShipment({ carrier: '' }), 'carrier', 'must not be empty');
    expectIssue(Shipment, aShipment({ lines: [{ sku: 'HX-1001', quantity: -1, uom: 'Units' }] }), 'lines.0.quantity', 'must be greater than zero');
  });
});
