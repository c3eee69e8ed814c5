/**
 * Wall-clock time in an IANA time zone, with nothing but `Intl.DateTimeFormat`.
 *
 * Why not a library: the only one in package.json that knows time zones is croner, and it answers
 * "when does this cron pattern next fire", not "which instant is 09:00 on the local day N days
 * after the start". A cron pattern cannot say "every 7 days from this date" either (a step in the
 * day-of-month field restarts every month). The two conversions a rotation needs are small, and
 * Intl carries the IANA database Node ships with, so no new dependency.
 */

/** A local calendar day as whole days since 1970-01-01, so "N days later" is `day + N`. */
export type LocalDay = number;

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

// Building a formatter costs far more than using one, and a schedule asks the same zone often.
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether the runtime knows `name` as a time zone (`Europe/Berlin`, `UTC`; not `CET+1`). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The zone's canonical spelling (`europe/berlin` → `Europe/Berlin`); assumes `isTimeZone(name)`. */
export const canonicalTimeZone = (name: string): string => new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;

/** The wall clock in `timeZone` at `instant`, read as if it were UTC (ms, whole seconds). */
function wallClockMs(timeZone: string, instant: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

/** How far the zone's clock is ahead of UTC at `instant`, in ms (+3_600_000 for CET). */
const offsetAt = (timeZone: string, instant: number): number => wallClockMs(timeZone, instant) - Math.floor(instant / 1000) * 1000;

/** The local day `instant` falls on in `timeZone`. */
export const localDayOf = (timeZone: string, instant: number): LocalDay => Math.floor(wallClockMs(timeZone, instant) / DAY_MS);

/**
 * The instant the clocks in `timeZone` show `minuteOfDay` on local `day`. Where that time does not
 * exist (the hour skipped when DST starts) it is the same time after the skip, 02:30 becomes 03:30;
 * where it exists twice (the hour repeated when DST ends) it is the first. That is what
 * Temporal's `disambiguation: 'compatible'` does, and what a person setting an alarm expects.
 */
export function zonedInstant(timeZone: string, day: LocalDay, minuteOfDay: number): number {
  const wall = day * DAY_MS + minuteOfDay * 60_000;
  // A zone changes its offset at most once within a day either side, so the offsets a day before
  // and a day after are the only candidates.
  const before = offsetAt(timeZone, wall - DAY_MS);
  const after = offsetAt(timeZone, wall + DAY_MS);
  const candidates = [wall - before, wall - after].filter((instant) => wallClockMs(timeZone, instant) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  // In the skipped hour: keep the offset from before the change, which lands after the skip.
  return wall - before;
}

/** `YYYY-MM-DD` as a local day; undefined when it is not a date on the calendar (2026-02-30). */
export function parseLocalDay(text: string): LocalDay | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = match.slice(1).map(Number);
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return ms / DAY_MS;
}

/** A local day as `YYYY-MM-DD`. */
export const formatLocalDay = (day: LocalDay): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
