import { describe, expect, it } from 'vitest';
import { SkuVelocity } from './sku-velocity';

describe('SkuVelocity', () => {
  it('counts order lines over a sliding hour, and the configured fast movers are always fast', () => {
    let now = Date.UTC(2026, 10, 27, 10, 0);
    const velocity = new SkuVelocity({ linesPerHour: 3, configured: new Set(['ACM-1001']), now: () => now });
    expect(velocity.isFast('ACM-1001')).toBe(true);
    for (let i = 0; i < 3; i++) velocity.record('ACM-2002');
    expect(velocity.linesPerHour('ACM-2002')).toBe(3);
    expect(velocity.isFast('ACM-2002')).toBe(true);
    expect(velocity.isFast('ACM-3001')).toBe(false);
    now += 61 * 60_000; // an hour later the burst has slid out
    expect(velocity.linesPerHour('ACM-2002')).toBe(0);
    expect(velocity.isFast('ACM-2002')).toBe(false);
  });
});
