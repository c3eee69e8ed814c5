import { describe, expect, it } from 'vitest';
import { aWarehouse } from '../../../../test/factories/canonical';
import { expectIssue, expectRoundTrip } from '../../../../test/factories/schema-assertions';
import { Warehouse } from './warehouse';

describe('Warehouse', () => {
  it('accepts each dialect', () => {
    for (const dialect of ['wms-rest', 'wms-batch', 'edi-3pl'])
      expect(expectRoundTrip(Warehouse, aWarehouse({ dialect })).dialect).toBe(dialect);
  });

  it('names the field at fault', () => {
    expectIssue(Warehouse, aWarehouse({ timeZone: 'Mars/Olympus' }), 'timeZone', /IANA time zone/);
    expectIssue(Warehouse, aWarehouse({ dialect: 'fax' }), 'dialect', /Invalid option/);
    expectIssue(Warehouse, aWarehouse({ odooCode: 'TOOLONG' }), 'odooCode', 'must be at most 5 characters, as in Odoo');
  });
});
