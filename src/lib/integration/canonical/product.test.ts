import { describe, expect, it } from 'vitest';
import { aProduct } from '../../../../test/factories/canonical';
import { expectIssue, expectRoundTrip } from '../../../../test/factories/schema-assertions';
import { Product } from './product';

describe('Product', () => {
  it('accepts a product with cross-references and defaults it to active', () => {
    const product = expectRoundTrip(Product, aProduct());
    expect(product.active).toBe(true);
    expect(product.externalIds['wms-batch']).toBe('NWH-100100');
  });

  it('defaults external ids to none', () => {
    const { externalIds: _none, ...bare } = aProduct();
    expect(Product.parse(bare).externalIds).toEqual({});
  });

  it('names the field at fault', () => {
    expectIssue(Product, aProduct({ barcode: '12-34' }), 'barcode', 'must be 8 to 14 digits (GTIN)');
    expectIssue(Product, aProduct({ name: '' }), 'name', 'must not be empty');
    expectIssue(Product, aProduct({ weightKg: '-0.5' }), 'weightKg', 'must not be negative');
    expectIssue(Product, aProduct({ externalIds: { odoo: 'has space' } }), 'externalIds.odoo', /without spaces/);
  });
});
