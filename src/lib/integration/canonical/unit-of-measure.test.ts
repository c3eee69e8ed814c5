import { describe, expect, it } from 'vitest';
import { expectIssue, expectRoundTrip } from '../../../../test/factories/schema-assertions';
import { MasterDataError } from '../errors';
import { UnitOfMeasure, convertQuantity } from './unit-of-measure';

const unit = UnitOfMeasure.parse({ code: 'Units', name: 'Units', category: 'count', ratio: 1 });
const case12 = UnitOfMeasure.parse({ code: 'Case12', name: 'Case of 12', category: 'count', ratio: 12 });
const pack3 = UnitOfMeasure.parse({ code: 'Pack3', name: 'Pack of 3', category: 'count', ratio: 3 });
const kg = UnitOfMeasure.parse({ code: 'kg', name: 'Kilogram', category: 'weight', ratio: 1, rounding: '0.001' });
const gram = UnitOfMeasure.parse({ code: 'g', name: 'Gram', category: 'weight', ratio: '0.001', rounding: '0.01' });
const kgFine = UnitOfMeasure.parse({ code: 'kg', name: 'Kilogram', category: 'weight', ratio: 1, rounding: '0.00000001' });
const lb = UnitOfMeasure.parse({ code: 'lb', name: 'Pound', category: 'weight', ratio: '0.45359237', rounding: '0.00000001' });

describe('UnitOfMeasure', () => {
  it('round-trips and defaults rounding to whole units', () => {
    const parsed = expectRoundTrip(UnitOfMeasure, { code: 'Case12', name: 'Case of 12', category: 'count', ratio: 12 });
    expect(parsed).toEqual({ code: 'Case12', name: 'Case of 12', category: 'count', ratio: '12', rounding: '1' });
  });

  it('refuses a zero or non-numeric ratio and an unknown category', () => {
    expectIssue(UnitOfMeasure, { code: 'X', name: 'X', category: 'count', ratio: 0 }, 'ratio', 'must be greater than zero');
    expectIssue(UnitOfMeasure, { code: 'X', name: 'X', category: 'count', ratio: 'twelve' }, 'ratio', /decimal number/);
    expectIssue(UnitOfMeasure, { code: 'X', name: 'X', category: 'colour', ratio: 1 }, 'category', /Invalid option/);
  });
});

describe('convertQuantity', () => {
  it('converts cases to units and back exactly', () => {
    expect(convertQuantity('3', case12, unit)).toBe('36');
    expect(convertQuantity('36', unit, case12)).toBe('3');
    expect(convertQuantity('4', pack3, case12)).toBe('1');
  });

  it('has no float drift where binary floating point has it', () => {
    // In binary floating point 0.57 kg is 569.9999999999999 g and 1.005 kg is 1004.9999999999999 g.
    expect(0.57 / 0.001).not.toBe(570);
    expect(1.005 / 0.001).not.toBe(1005);
    expect(convertQuantity('0.57', kg, gram)).toBe('570');
    expect(convertQuantity('1.005', kg, gram)).toBe('1005');
    expect(convertQuantity('4.35', kg, gram)).toBe('4350');
    // Thousands of small conversions still sum exactly.
    let grams = 0n;
    for (let i = 0; i < 10_000; i++) grams += BigInt(convertQuantity('0.001', kg, gram));
    expect(grams).toBe(10_000n);
  });

  it('converts through a non-decimal factor and back without loss', () => {
    const pounds = convertQuantity('0.90718474', kgFine, lb);
    expect(pounds).toBe('2');
    expect(convertQuantity(pounds, lb, kgFine)).toBe('0.90718474');
    // A kilogram counted to the gram cannot hold 2 lb exactly: refused, not rounded.
    expect(() => convertQuantity('2', lb, kg)).toThrow('2 lb is 0.90718474 kg, not a multiple of its rounding 0.001');
  });

  it('refuses to convert across categories', () => {
    expect(() => convertQuantity('1', kg, unit)).toThrow(MasterDataError);
    expect(() => convertQuantity('1', kg, unit)).toThrow('cannot convert kg (weight) to Units (count)');
  });

  it('refuses a result the target unit cannot express rather than rounding stock away', () => {
    expect(() => convertQuantity('13', unit, case12)).toThrow(/13 Units is 1\.08333333333 Case12, not a multiple of its rounding 1/);
    const error = (() => {
      try {
        convertQuantity('13', unit, case12);
      } catch (e) {
        return e as MasterDataError;
      }
    })();
    expect(error?.category).toBe('master_data_mismatch');
    expect(error?.retryable).toBe(false);
  });
});
