import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, formatLocalDay, isTimeZone, localDayOf, parseLocalDay, zonedInstant } from './local-time';

const day = (text: string) => parseLocalDay(text)!;
const at = (iso: string) => Date.parse(iso);
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

describe('local time in a zone', () => {
  it('turns a local day and time into the instant, in winter and summer', () => {
    expect(new Date(zonedInstant('Europe/Berlin', day('2026-01-15'), minutes('09:00'))).toISOString()).toBe('2026-01-15T08:00:00.000Z');
    expect(new Date(zonedInstant('Europe/Berlin', day('2026-07-15'), minutes('09:00'))).toISOString()).toBe('2026-07-15T07:00:00.000Z');
    expect(new Date(zonedInstant('America/Chicago', day('2026-07-15'), minutes('09:00'))).toISOString()).toBe('2026-07-15T14:00:00.000Z');
    expect(new Date(zonedInstant('Asia/Kolkata', day('2026-07-15'), minutes('09:00'))).toISOString()).toBe('2026-07-15T03:30:00.000Z');
  });

  it('moves a time the clocks skip to after the skip, like an alarm clock', () => {
    expect(new Date(zonedInstant('Europe/Berlin', day('2026-03-29'), minutes('02:30'))).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(new Date(zonedInstant('America/Chicago', day('2026-03-08'), minutes('02:30'))).toISOString()).toBe('2026-03-08T08:30:00.000Z');
  });

  it('takes the first of a time the clocks show twice', () => {
    expect(new Date(zonedInstant('Europe/Berlin', day('2026-10-25'), minutes('02:30'))).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(new Date(zonedInstant('America/Chicago', day('2026-11-01'), minutes('01:30'))).toISOString()).toBe('2026-11-01T06:30:00.000Z');
  });

  it('tells the local day of an instant, which may differ from the UTC day', () => {
    expect(formatLocalDay(localDayOf('Europe/Berlin', at('2026-03-01T23:30:00Z')))).toBe('2026-03-02');
    expect(formatLocalDay(localDayOf('America/Chicago', at('2026-03-02T03:00:00Z')))).toBe('2026-03-01');
    expect(formatLocalDay(localDayOf('UTC', at('2026-03-02T00:00:00Z')))).toBe('2026-03-02');
  });

  it('reads only dates that are on the calendar', () => {
    expect(formatLocalDay(day('2028-02-29'))).toBe('2028-02-29');
    for (const text of ['2026-02-29', '2026-13-01', '2026-04-31', '2026-3-1', '26-03-01', 'tomorrow']) expect(parseLocalDay(text)).toBeUndefined();
  });

  it('knows IANA zones and spells them canonically', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Europe/Berln')).toBe(false);
    expect(isTimeZone('CET+1')).toBe(false);
    expect(canonicalTimeZone('america/chicago')).toBe('America/Chicago');
  });
});
