import { z } from 'zod';
import { DAY_MINUTES } from './clock';

/** The incidents the traffic generator knows how to cause (see incidents.ts for what each does). */
export const IncidentKind = z.enum(['unknown-sku', 'short-shipment', 'wms-outage', 'duplicate-webhooks', 'missing-997', 'rate-limit']);
export type IncidentKind = z.infer<typeof IncidentKind>;

/** One row of a demo day's schedule: at demo-minute `at`, incident `incident` for `forMinutes`. */
export const ScheduledIncident = z.object({
  /** Demo minutes after the demo day begins. */
  at: z.number().min(0).lt(DAY_MINUTES),
  incident: IncidentKind,
  /** The warehouse (topology id) it happens at; the unknown SKU happens in Odoo and names none. */
  warehouse: z.string().min(1).optional(),
  /** How long it lasts, in demo minutes. */
  forMinutes: z.number().positive().max(DAY_MINUTES),
});
export type ScheduledIncident = z.infer<typeof ScheduledIncident>;

const needsWarehouse = new Set<IncidentKind>(['short-shipment', 'wms-outage', 'duplicate-webhooks', 'missing-997', 'rate-limit']);

/** Validates a schedule at start, so a typo in the table fails loudly instead of at 3 a.m. demo time. */
export function defineSchedule(rows: z.input<typeof ScheduledIncident>[]): ScheduledIncident[] {
  return rows.map((row, i) => {
    const parsed = ScheduledIncident.parse(row);
    if (needsWarehouse.has(parsed.incident) && !parsed.warehouse) throw new Error(`schedule row ${i} (${parsed.incident}) must name the warehouse it happens at`);
    return parsed;
  });
}

/**
 * Every demo day, played from the day's start (08:00 by default). At the default speed (48) a
 * demo minute is 1.25 s, so the first three incidents come 25 s, 75 s and 113 s after start:
 * a newcomer sees real exceptions within two minutes.
 */
export const demoDay: ScheduledIncident[] = defineSchedule([
  { at: 20, incident: 'unknown-sku', forMinutes: 60 },
  { at: 60, incident: 'wms-outage', warehouse: 'wms-rest', forMinutes: 150 },
  { at: 90, incident: 'short-shipment', warehouse: 'wms-batch', forMinutes: 60 },
  { at: 270, incident: 'duplicate-webhooks', warehouse: 'wms-rest', forMinutes: 60 },
  { at: 360, incident: 'missing-997', warehouse: 'edi-3pl', forMinutes: 120 },
  { at: 420, incident: 'rate-limit', warehouse: 'wms-rest', forMinutes: 30 },
]);

/** An incident beginning or ending. */
export interface Transition {
  kind: 'start' | 'end';
  entry: ScheduledIncident;
  /** Identifies one occurrence: the same row on another day is another occurrence. */
  key: string;
  /** When, in demo minutes since the demo began. */
  at: number;
  /** The demo day the occurrence started on (1-based). */
  day: number;
}

/**
 * The starts and ends that fall in `[from, to)` (demo minutes since the demo began), in time
 * order, ends before starts at the same minute. Half-open, so consecutive ticks never see a
 * transition twice or skip one, however far apart they are.
 */
export function transitionsBetween(schedule: readonly ScheduledIncident[], from: number, to: number): Transition[] {
  const found: Transition[] = [];
  if (!(to > from)) return found;
  // An occurrence that started the day before can still end inside this window.
  const firstDay = Math.max(0, Math.floor(from / DAY_MINUTES) - 1);
  const lastDay = Math.floor(to / DAY_MINUTES);
  for (let d = firstDay; d <= lastDay; d++)
    schedule.forEach((entry, index) => {
      const start = d * DAY_MINUTES + entry.at;
      const end = start + entry.forMinutes;
      const key = `${d + 1}:${index}`;
      if (start >= from && start < to) found.push({ kind: 'start', entry, key, at: start, day: d + 1 });
      if (end >= from && end < to) found.push({ kind: 'end', entry, key, at: end, day: d + 1 });
    });
  return found.sort((a, b) => a.at - b.at || (a.kind === b.kind ? 0 : a.kind === 'end' ? -1 : 1));
}
