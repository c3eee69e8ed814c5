import { describe, expect, it } from 'vitest';
import { escalationStep, InvalidScheduleError, OncallSchedule, parseSchedule, shiftAt, upcomingShifts, type Shift } from './schedule';

const HOUR = 3_600_000;

const schedule = (overrides: Partial<OncallSchedule> = {}): OncallSchedule =>
  parseSchedule({
    id: 'primary',
    name: 'Primary',
    timeZone: 'UTC',
    handoff: '09:00',
    rotationDays: 1,
    startsOn: '2026-03-02',
    participants: ['ada', 'bob', 'cyd'],
    escalation: { ackMinutes: 15, chain: [] },
    ...overrides,
  });

const at = (iso: string) => new Date(iso);
const hours = (shift: Shift) => (shift.endsAt.getTime() - shift.startsAt.getTime()) / HOUR;
// 'YYYY-MM-DD HH:MM' on the zone's clocks.
const local = (date: Date, timeZone: string) => new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(date);

/** The issues `parseSchedule` reports for a schedule with `overrides`. */
function issuesOf(overrides: Record<string, unknown>) {
  try {
    schedule(overrides as Partial<OncallSchedule>);
  } catch (error) {
    if (error instanceof InvalidScheduleError) return error.issues;
    throw error;
  }
  throw new Error('expected an InvalidScheduleError');
}

describe('rotation', () => {
  it('hands a daily shift on at the handoff time, to the millisecond', () => {
    const daily = schedule();
    expect(shiftAt(daily, at('2026-03-03T08:59:59.999Z'))).toEqual({ login: 'ada', index: 0, startsAt: at('2026-03-02T09:00:00Z'), endsAt: at('2026-03-03T09:00:00Z') });
    expect(shiftAt(daily, at('2026-03-03T09:00:00.000Z'))).toEqual({ login: 'bob', index: 1, startsAt: at('2026-03-03T09:00:00Z'), endsAt: at('2026-03-04T09:00:00Z') });
    expect(shiftAt(daily, at('2026-03-04T23:59:00Z')).login).toBe('cyd');
    expect(shiftAt(daily, at('2026-03-05T09:00:00Z'))).toMatchObject({ login: 'ada', index: 3 });
  });

  it('hands a weekly shift on every seventh day', () => {
    const weekly = schedule({ rotationDays: 7 });
    expect(shiftAt(weekly, at('2026-03-09T08:59:59.999Z')).login).toBe('ada');
    expect(shiftAt(weekly, at('2026-03-09T09:00:00.000Z'))).toMatchObject({ login: 'bob', index: 1, endsAt: at('2026-03-16T09:00:00Z') });
    const next = upcomingShifts(weekly, at('2026-03-04T12:00:00Z'), 4);
    expect(next.map((s) => [s.login, s.startsAt.toISOString()])).toEqual([
      ['ada', '2026-03-02T09:00:00.000Z'],
      ['bob', '2026-03-09T09:00:00.000Z'],
      ['cyd', '2026-03-16T09:00:00.000Z'],
      ['ada', '2026-03-23T09:00:00.000Z'],
    ]);
    expect(upcomingShifts(weekly, at('2026-03-04T12:00:00Z'), 0)).toEqual([]);
  });

  it('puts the first shift on call before the schedule starts', () => {
    const later = schedule({ startsOn: '2026-03-10' });
    const first = { login: 'ada', index: 0, startsAt: at('2026-03-10T09:00:00Z'), endsAt: at('2026-03-11T09:00:00Z') };
    expect(shiftAt(later, at('2026-02-20T12:00:00Z'))).toEqual(first);
    expect(shiftAt(later, at('2026-03-10T08:59:59.999Z'))).toEqual(first);
    expect(upcomingShifts(later, at('2026-02-20T12:00:00Z'), 2).map((s) => s.index)).toEqual([0, 1]);
  });
});

describe('rotation across daylight saving time (2026)', () => {
  const cases = [
    { timeZone: 'Europe/Berlin', spring: '2026-03-28', autumn: '2026-10-24' },
    { timeZone: 'America/Chicago', spring: '2026-03-07', autumn: '2026-10-31' },
  ];

  for (const { timeZone, spring, autumn } of cases) {
    it(`${timeZone}: the shift over the change is 23 h in spring and 25 h in autumn, handing off at 09:00 local on both sides`, () => {
      for (const [startsOn, length] of [[spring, 23], [autumn, 25]] as const) {
        const [over, after] = upcomingShifts(schedule({ timeZone, startsOn }), at(`${startsOn}T12:00:00Z`), 2);
        expect(hours(over)).toBe(length);
        expect(hours(after)).toBe(24);
        expect([over.startsAt, over.endsAt, after.endsAt].map((d) => local(d, timeZone).slice(11))).toEqual(['09:00', '09:00', '09:00']);
      }
    });
  }

  it('Europe/Berlin: the handoff on the day clocks go forward is at 07:00 UTC, not 08:00', () => {
    const berlin = schedule({ timeZone: 'Europe/Berlin', startsOn: '2026-03-28' });
    expect(shiftAt(berlin, at('2026-03-29T06:59:59.999Z'))).toMatchObject({ login: 'ada', index: 0 });
    expect(shiftAt(berlin, at('2026-03-29T07:00:00.000Z'))).toMatchObject({ login: 'bob', index: 1, startsAt: at('2026-03-29T07:00:00Z') });
  });

  it('America/Chicago: the handoff on the day clocks go back is at 15:00 UTC, not 14:00', () => {
    const chicago = schedule({ timeZone: 'America/Chicago', startsOn: '2026-10-31' });
    expect(shiftAt(chicago, at('2026-11-01T14:59:59.999Z'))).toMatchObject({ login: 'ada', index: 0 });
    expect(shiftAt(chicago, at('2026-11-01T15:00:00.000Z'))).toMatchObject({ login: 'bob', index: 1, startsAt: at('2026-11-01T15:00:00Z') });
  });

  it('a weekly shift over the change is 167 h or 169 h long', () => {
    const weekly = (startsOn: string) => shiftAt(schedule({ timeZone: 'Europe/Berlin', rotationDays: 7, startsOn }), at(`${startsOn}T12:00:00Z`));
    expect(hours(weekly('2026-03-23'))).toBe(167);
    expect(hours(weekly('2026-10-19'))).toBe(169);
  });
});

describe('escalation', () => {
  const chained = schedule({ escalation: { ackMinutes: 15, chain: [{ to: 'next_in_rotation' }, { to: 'user', login: 'zoe' }] } });
  const cydOnCall = at('2026-03-04T12:00:00Z');

  it('starts with whoever is on call, then follows the chain, wrapping round the rotation', () => {
    expect(escalationStep(chained, 0, cydOnCall)).toEqual({ logins: ['cyd'], step: 'on call in Primary' });
    expect(escalationStep(chained, 1, cydOnCall)).toEqual({ logins: ['ada'], step: 'escalation step 1: next in rotation after cyd' });
    expect(escalationStep(chained, 2, cydOnCall)).toEqual({ logins: ['zoe'], step: 'escalation step 2: zoe' });
    expect(escalationStep(chained, 1, at('2026-03-02T12:00:00Z'))?.logins).toEqual(['bob']);
  });

  it('ends when the chain is exhausted, and refuses a level that is not one', () => {
    expect(escalationStep(chained, 3, cydOnCall)).toBeUndefined();
    expect(escalationStep(schedule(), 1, cydOnCall)).toBeUndefined();
    expect(() => escalationStep(chained, -1, cydOnCall)).toThrow(RangeError);
    expect(() => escalationStep(chained, 1.5, cydOnCall)).toThrow('escalation level must be a whole number from 0, not 1.5');
  });
});

describe('validation', () => {
  it('names an unknown time zone and spells a known one canonically', () => {
    expect(issuesOf({ timeZone: 'Europe/Berln' })).toEqual([
      { path: 'timeZone', message: 'unknown time zone "Europe/Berln" (use an IANA name such as Europe/Berlin, America/Chicago or UTC)' },
    ]);
    expect(schedule({ timeZone: 'europe/berlin' }).timeZone).toBe('Europe/Berlin');
  });

  it('refuses a handoff that is not HH:MM on the 24-hour clock', () => {
    for (const handoff of ['9:00', '24:00', '09:60', '09:00:00', 'nine'])
      expect(issuesOf({ handoff })).toEqual([{ path: 'handoff', message: 'must be a time of day as HH:MM on the 24-hour clock, e.g. 09:00' }]);
  });

  it('names a participant listed twice, whatever the case', () => {
    expect(issuesOf({ participants: ['ada', 'bob', 'Ada'] })).toEqual([{ path: 'participants.2', message: 'Ada is listed more than once' }]);
    expect(issuesOf({ participants: [] })).toEqual([{ path: 'participants', message: 'must name at least one person' }]);
  });

  it('refuses dates off the calendar, rotations outside 1..28 days, long chains and unknown fields', () => {
    expect(issuesOf({ startsOn: '2026-02-30' })).toEqual([{ path: 'startsOn', message: 'must be a calendar date as YYYY-MM-DD, e.g. 2026-03-02' }]);
    expect(issuesOf({ rotationDays: 29 })).toEqual([{ path: 'rotationDays', message: 'must be between 1 and 28 days' }]);
    expect(issuesOf({ rotationDays: 1.5 })).toEqual([{ path: 'rotationDays', message: 'must be a whole number of days' }]);
    expect(issuesOf({ escalation: { ackMinutes: 0, chain: Array(6).fill({ to: 'next_in_rotation' }) } })).toEqual([
      { path: 'escalation.ackMinutes', message: 'must be between 1 and 1440 minutes' },
      { path: 'escalation.chain', message: 'may have at most 5 steps' },
    ]);
    expect(issuesOf({ id: 'Night Shift' })[0]).toMatchObject({ path: 'id' });
    expect(issuesOf({ handof: '09:00' } as never)[0].message).toContain('handof');
  });

  it('says which fields are wrong in the error message', () => {
    expect(() => schedule({ timeZone: 'Mars/Olympus', handoff: '25:00' })).toThrow(/^invalid on-call schedule: timeZone unknown time zone "Mars\/Olympus".*; handoff must be a time of day/);
  });
});
