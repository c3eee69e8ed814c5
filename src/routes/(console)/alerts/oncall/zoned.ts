const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
    formats.set(timeZone, format);
  }
  return format;
}

/** "Mon 2026-11-30 09:00 CET": the wall clock in `timeZone`, with the zone's abbreviation. */
export function zonedText(ms: number, timeZone: string): string {
  const p: Record<string, string> = {};
  for (const part of formatIn(timeZone).formatToParts(ms)) p[part.type] = part.value;
  return `${p.weekday} ${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

/** "Mon 2026-11-30 08:00Z". */
export const utcText = (ms: number): string => zonedText(ms, 'UTC').replace(/ UTC$/, 'Z');
