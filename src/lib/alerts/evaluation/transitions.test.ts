import { describe, expect, it } from 'vitest';
import { fingerprintOf, groupKeyOf, transition } from './transitions';

const MIN = 60_000;
const rule = { forMinutes: 5, keepFiringMinutes: 2 };

describe('transition', () => {
  it('starts pending and fires once the condition held for forMinutes', () => {
    expect(transition(undefined, false, rule, 0)).toBe('none');
    expect(transition(undefined, true, rule, 0)).toBe('pending');
    const pending = { state: 'pending' as const, pendingSince: 0, lastTrueAt: 0 };
    expect(transition(pending, true, rule, 5 * MIN - 1)).toBe('held');
    expect(transition(pending, true, rule, 5 * MIN)).toBe('fired');
  });

  it('fires at once without a pending time', () => {
    expect(transition(undefined, true, { forMinutes: 0, keepFiringMinutes: 0 }, 0)).toBe('fired');
  });

  it('clears a pending alert whose condition went away, telling no one', () => {
    expect(transition({ state: 'pending', pendingSince: 0, lastTrueAt: 0 }, false, rule, MIN)).toBe('cleared');
  });

  it('keeps firing through a short gap, then resolves after keepFiringMinutes clear', () => {
    const firing = { state: 'firing' as const, pendingSince: 0, lastTrueAt: 10 * MIN };
    expect(transition(firing, true, rule, 11 * MIN)).toBe('held');
    expect(transition(firing, false, rule, 12 * MIN - 1)).toBe('held');
    expect(transition(firing, false, rule, 12 * MIN)).toBe('resolved');
    expect(transition(firing, false, { forMinutes: 0, keepFiringMinutes: 0 }, 10 * MIN)).toBe('resolved');
  });
});

describe('fingerprints and groups', () => {
  it('ignores empty labels and label order', () => {
    expect(fingerprintOf({ rule: 'a', warehouse: 'w', process: undefined })).toBe(fingerprintOf({ warehouse: 'w', rule: 'a' }));
    expect(fingerprintOf({ rule: 'a', warehouse: 'w' })).not.toBe(fingerprintOf({ rule: 'a', warehouse: 'v' }));
    expect(fingerprintOf({ rule: 'a' })).not.toBe(fingerprintOf({ rule: 'b' }));
  });

  it('groups warehouse-level rules by warehouse and global ones by rule', () => {
    expect(groupKeyOf({ rule: 'partner-down', warehouse: 'wms-rest' }, ['warehouse'])).toBe('warehouse=wms-rest');
    expect(groupKeyOf({ rule: 'stuck-orders', warehouse: 'wms-rest', process: 'order_fulfillment' }, ['warehouse'])).toBe('warehouse=wms-rest');
    expect(groupKeyOf({ rule: 'sla-burn' }, ['warehouse'])).toBe('rule=sla-burn');
    expect(groupKeyOf({ rule: 'x', warehouse: 'w' }, ['rule', 'warehouse'])).toBe('rule=x,warehouse=w');
  });
});
