import { describe, expect, it } from 'vitest';
import { DecimalString, Sku, Timestamp } from './primitives';

describe('DecimalString', () => {
  it('normalises numbers and decimal strings to canonical strings', () => {
    expect(DecimalString.parse(12)).toBe('12');
    expect(DecimalString.parse('012.50')).toBe('12.5');
    expect(DecimalString.parse(0.1)).toBe('0.1');
    expect(DecimalString.parse('-3')).toBe('-3');
    expect(DecimalString.parse('123456789012345678.000001')).toBe('123456789012345678.000001');
  });

  it('refuses exponents, blanks, NaN and infinity', () => {
    for (const bad of ['1e3', '', ' 1', '1,5', Number.NaN, Number.POSITIVE_INFINITY, null])
      expect(DecimalString.safeParse(bad).success, String(bad)).toBe(false);
  });
});

describe('Sku and Timestamp', () => {
  it('accepts real codes and refuses spaces and empties', () => {
    expect(Sku.parse('HX-1001/B')).toBe('HX-1001/B');
    expect(Sku.safeParse('HX 1001').success).toBe(false);
    expect(Sku.safeParse('').success).toBe(false);
  });

  it('requires a time zone on timestamps', () => {
    expect(Timestamp.parse('2026-11-27T09:30:00+01:00')).toBe('2026-11-27T09:30:00+01:00');
    expect(Timestamp.safeParse('2026-11-27T09:30:00').success).toBe(false);
    expect(Timestamp.safeParse('27/11/2026').success).toBe(false);
  });
});
