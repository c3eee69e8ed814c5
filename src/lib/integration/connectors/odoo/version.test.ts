import { describe, expect, it } from 'vitest';
import { dialectFor } from './version';

describe('dialectFor', () => {
  it('names the fields and protocol of each supported version', () => {
    expect(dialectFor(16)).toMatchObject({ protocol: 'json-rpc', moveDoneQuantity: 'quantity_done', movePicked: false, storableDomain: [['type', '=', 'product']], returnMethod: 'create_returns' });
    expect(dialectFor(17)).toMatchObject({ protocol: 'json-rpc', saleLineUom: 'product_uom', moveDoneQuantity: 'quantity', movePicked: true, returnMethod: 'create_returns' });
    expect(dialectFor(18)).toMatchObject({ protocol: 'json-rpc', storableDomain: [['is_storable', '=', true]], returnMethod: 'action_create_returns', uomCategories: true });
    expect(dialectFor(19)).toMatchObject({ protocol: 'json-2', saleLineUom: 'product_uom_id', uomCategories: false });
  });

  it('refuses versions before 16', () => {
    expect(() => dialectFor(15)).toThrow('Odoo 15 is not supported (16 or newer)');
  });
});
