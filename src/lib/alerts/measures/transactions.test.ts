import { describe, expect, it } from 'vitest';
import { minutesUntilTargetLost } from './transactions';

describe('minutesUntilTargetLost', () => {
  it('is 0 when the day is already below target', () => {
    expect(minutesUntilTargetLost({ judged: 100, met: 90 }, { judged: 10, met: 10, minutes: 30 }, 0.95)).toBe(0);
  });

  it('is infinite when the recent rate keeps within the target', () => {
    expect(minutesUntilTargetLost({ judged: 100, met: 99 }, { judged: 60, met: 58, minutes: 30 }, 0.95)).toBe(Infinity);
    expect(minutesUntilTargetLost({ judged: 100, met: 99 }, { judged: 0, met: 0, minutes: 30 }, 0.95)).toBe(Infinity);
  });

  it('solves for the minute the day crosses the target at the recent rate', () => {
    // 1000 steps today, 990 met (margin 990 - 950 = 40); lately 2 steps/min with half missed:
    // each minute adds 2 judged, 1 met: attainment (990 + t) / (1000 + 2t) = 0.95 at t = 40 / 0.9.
    const t = minutesUntilTargetLost({ judged: 1000, met: 990 }, { judged: 60, met: 30, minutes: 30 }, 0.95);
    expect(t).toBeCloseTo(40 / (2 * 0.45), 6);
    const after = (990 + t) / (1000 + 2 * t);
    expect(after).toBeCloseTo(0.95, 9);
  });
});
