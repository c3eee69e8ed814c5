import { describe, expect, it } from 'vitest';
import { DAY_MINUTES, DemoClock } from './clock';
import { ordersBetween } from './order-pace';
import { defineSchedule, demoDay, transitionsBetween } from './schedule';

describe('the demo clock', () => {
  it('plays a day in 30 minutes at the default speed, from 08:00', () => {
    const clock = new DemoClock({ speed: 48 }, 1_000_000);
    expect(clock.elapsedAt(1_000_000 + 30 * 60_000)).toBe(DAY_MINUTES);
    expect(clock.label(clock.elapsedAt(1_000_000))).toBe('day 1 08:00');
    expect(clock.label(clock.elapsedAt(1_000_000 + 25_000))).toBe('day 1 08:20');
    expect(clock.label(DAY_MINUTES + 61)).toBe('day 2 09:01');
    expect(clock.realMsFor(150)).toBe(187_500);
  });

  it('resumes where a previous run stopped and never runs backwards', () => {
    const clock = new DemoClock({ speed: 60, elapsedMinutes: 2_000 }, 5_000);
    expect(clock.elapsedAt(5_000)).toBe(2_000);
    expect(clock.elapsedAt(4_000)).toBe(2_000);
    expect(clock.timeOf(2_000)).toMatchObject({ day: 2, intoDay: 560, clockMinute: (480 + 560) % DAY_MINUTES });
  });

  it('refuses a speed that would stop or reverse time', () => {
    expect(() => new DemoClock({ speed: 0 }, 0)).toThrow(/speed/);
  });
});

describe('the order pace', () => {
  const pace = { baseOrdersPerHour: 20, startMinuteOfDay: 0 };

  it("follows the Odoo generator's day curve: a quiet night, the busiest hour from 15:00", () => {
    expect(ordersBetween(3 * 60, 4 * 60, pace)).toBeCloseTo(2);
    expect(ordersBetween(14 * 60, 15 * 60, pace)).toBeCloseTo(52);
    expect(ordersBetween(15 * 60, 16 * 60, pace)).toBeCloseTo(80);
  });

  it('owes the same orders however the time is cut into ticks', () => {
    const whole = ordersBetween(0, 3 * DAY_MINUTES, pace);
    let sliced = 0;
    for (let t = 0; t < 3 * DAY_MINUTES; t += 7.3) sliced += ordersBetween(t, Math.min(t + 7.3, 3 * DAY_MINUTES), pace);
    expect(sliced).toBeCloseTo(whole, 6);
    expect(whole).toBeCloseTo(3 * 20 * 25.5, 6);
  });
});

describe('the incident schedule', () => {
  it('puts the first incidents within two real minutes of start at the default speed', () => {
    const clock = new DemoClock({ speed: 48 }, 0);
    const early = demoDay.filter((row) => clock.realMsFor(row.at) <= 120_000).map((row) => row.incident);
    expect(early).toEqual(['unknown-sku', 'wms-outage', 'short-shipment']);
    expect(new Set(demoDay.map((row) => row.incident)).size).toBe(6);
  });

  it('starts and ends each occurrence exactly once, however the ticks fall, on every day', () => {
    const seen: string[] = [];
    for (let t = 0; t < 2 * DAY_MINUTES; t += 13) seen.push(...transitionsBetween(demoDay, t, t + 13).map((x) => `${x.kind} ${x.key} ${x.entry.incident}`));
    expect(seen.filter((s) => s.startsWith('start'))).toHaveLength(2 * demoDay.length);
    expect(seen.filter((s) => s.startsWith('end'))).toHaveLength(2 * demoDay.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, 3)).toEqual(['start 1:0 unknown-sku', 'start 1:1 wms-outage', 'end 1:0 unknown-sku']);
  });

  it('ends an occurrence that spans midnight of the demo day on the next day', () => {
    const late = defineSchedule([{ at: 1_400, incident: 'wms-outage', warehouse: 'wms-rest', forMinutes: 100 }]);
    expect(transitionsBetween(late, 1_399, 1_401).map((t) => [t.kind, t.key])).toEqual([['start', '1:0']]);
    expect(transitionsBetween(late, DAY_MINUTES + 50, DAY_MINUTES + 70).map((t) => [t.kind, t.key, t.at])).toEqual([['end', '1:0', 1_500]]);
  });

  it('refuses a row that does not say which warehouse a warehouse incident happens at', () => {
    expect(() => defineSchedule([{ at: 10, incident: 'missing-997', forMinutes: 5 }])).toThrow(/warehouse/);
    expect(() => defineSchedule([{ at: 2_000, incident: 'unknown-sku', forMinutes: 5 }])).toThrow();
  });
});
