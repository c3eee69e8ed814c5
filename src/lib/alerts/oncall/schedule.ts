import { z } from 'zod';
import { Login } from '../../server/auth/users';
import { canonicalTimeZone, isTimeZone, localDayOf, parseLocalDay, zonedInstant, type LocalDay } from './local-time';

/**
 * On-call schedules: who answers alerts when, and who is told next when nobody acknowledges.
 * A schedule is data (validated here, stored by `ScheduleStore`); everything below is a pure
 * function of a schedule and an instant, so the alert engine and the console agree on who is on call.
 */

/** `next_in_rotation`: whoever has the shift after the current one; `user`: one named person. */
export const EscalationTarget = z.discriminatedUnion('to', [
  z.strictObject({ to: z.literal('next_in_rotation') }),
  z.strictObject({ to: z.literal('user'), login: Login }),
]);
export type EscalationTarget = z.infer<typeof EscalationTarget>;

const Handoff = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM on the 24-hour clock, e.g. 09:00');

const TimeZone = z
  .string()
  .refine(isTimeZone, { error: (issue) => `unknown time zone "${String(issue.input)}" (use an IANA name such as Europe/Berlin, America/Chicago or UTC)` })
  .transform(canonicalTimeZone);

const StartsOn = z.string().refine((text) => parseLocalDay(text) !== undefined, 'must be a calendar date as YYYY-MM-DD, e.g. 2026-03-02');

// Logins compare without case, as they do at sign-in.
const Participants = z
  .array(Login)
  .min(1, 'must name at least one person')
  .max(50, 'must name at most 50 people')
  .superRefine((logins, ctx) => {
    const seen = new Set<string>();
    logins.forEach((login, index) => {
      const key = login.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [index], message: `${login} is listed more than once` });
      seen.add(key);
    });
  });

export const OncallSchedule = z.strictObject({
  /** Stable id, referenced by alert rules and groups: `primary`, `night-shift`. */
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case letters and digits in words joined by -, e.g. primary or night-shift').max(64, 'must be at most 64 characters'),
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  /** IANA zone the handoff time and the shift days are counted in. */
  timeZone: TimeZone,
  /** Local time of day a shift changes hands, `HH:MM`. */
  handoff: Handoff,
  /** Local calendar days per shift: 1 daily, 7 weekly. */
  rotationDays: z.number().int('must be a whole number of days').min(1, 'must be between 1 and 28 days').max(28, 'must be between 1 and 28 days'),
  /** The local day the first shift starts on, at `handoff`. */
  startsOn: StartsOn,
  /** Who takes the shifts, in turn. */
  participants: Participants,
  escalation: z.strictObject({
    /** How long a firing alert may stay unacknowledged before the next step is told. */
    ackMinutes: z.number().int('must be a whole number of minutes').min(1, 'must be between 1 and 1440 minutes').max(1440, 'must be between 1 and 1440 minutes'),
    /** Who is told after the person on call, step by step. */
    chain: z.array(EscalationTarget).max(5, 'may have at most 5 steps'),
  }),
});
export type OncallSchedule = z.infer<typeof OncallSchedule>;

/** One problem with a schedule, at the field it concerns (`participants.2`, `escalation.chain.0.login`). */
export interface ScheduleIssue {
  path: string;
  message: string;
}

/** A schedule that cannot be saved; `issues` lets an editor show each next to its field. */
export class InvalidScheduleError extends Error {
  constructor(readonly issues: ScheduleIssue[]) {
    super(`invalid on-call schedule: ${issues.map((i) => (i.path ? `${i.path} ${i.message}` : i.message)).join('; ')}`);
    this.name = 'InvalidScheduleError';
  }
}

/** Validates a schedule from outside (a form, the API, the database); throws `InvalidScheduleError`. */
export function parseSchedule(input: unknown): OncallSchedule {
  const result = OncallSchedule.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidScheduleError(result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
}

/** One person's turn on call. */
export interface Shift {
  login: string;
  /** The shift's number: 0 is the first shift, at `startsOn`. */
  index: number;
  startsAt: Date;
  endsAt: Date;
}

const minuteOfDay = (handoff: string) => Number(handoff.slice(0, 2)) * 60 + Number(handoff.slice(3, 5));

const firstDay = (schedule: OncallSchedule): LocalDay => parseLocalDay(schedule.startsOn)!;

// Every shift starts at the handoff time on its first local day, so it lasts `rotationDays`
// calendar days whatever the clocks do in between (23 or 25 hours across a DST change).
const shiftStart = (schedule: OncallSchedule, index: number): number =>
  zonedInstant(schedule.timeZone, firstDay(schedule) + index * schedule.rotationDays, minuteOfDay(schedule.handoff));

function shiftNumberAt(schedule: OncallSchedule, at: number): number {
  const index = Math.floor((localDayOf(schedule.timeZone, at) - firstDay(schedule)) / schedule.rotationDays);
  // On a handoff day, before the handoff time, the previous shift is still on.
  return at < shiftStart(schedule, index) ? index - 1 : index;
}

const shiftNumbered = (schedule: OncallSchedule, index: number): Shift => ({
  login: schedule.participants[index % schedule.participants.length],
  index,
  startsAt: new Date(shiftStart(schedule, index)),
  endsAt: new Date(shiftStart(schedule, index + 1)),
});

/**
 * The shift on call at `at`. Before the schedule starts, that is the first shift (its `startsAt`
 * is then later than `at`): a schedule saved today to start next Monday already has someone who
 * answers, rather than nobody until then.
 */
export function shiftAt(schedule: OncallSchedule, at: Date): Shift {
  return shiftNumbered(schedule, Math.max(0, shiftNumberAt(schedule, at.getTime())));
}

/** `count` shifts in order, from the one on call at `from` (see `shiftAt`) on. */
export function upcomingShifts(schedule: OncallSchedule, from: Date, count: number): Shift[] {
  const first = shiftAt(schedule, from).index;
  return Array.from({ length: Math.max(0, Math.floor(count)) }, (_, offset) => shiftNumbered(schedule, first + offset));
}

/** Who is told at one escalation level, and why, in words for the console and the email. */
export interface EscalationStep {
  logins: string[];
  step: string;
}

/**
 * Who is told at escalation `level` for an alert at `at`: level 0 is whoever is on call, level n
 * is `escalation.chain[n - 1]`; undefined once the chain is exhausted. `next_in_rotation` is the
 * person of the shift after the current one, wrapping round to the first participant (with a
 * single participant, that is the same person again).
 */
export function escalationStep(schedule: OncallSchedule, level: number, at: Date): EscalationStep | undefined {
  if (!Number.isInteger(level) || level < 0) throw new RangeError(`escalation level must be a whole number from 0, not ${level}`);
  const onCall = shiftAt(schedule, at);
  if (level === 0) return { logins: [onCall.login], step: `on call in ${schedule.name}` };
  const target = schedule.escalation.chain[level - 1];
  if (!target) return undefined;
  if (target.to === 'user') return { logins: [target.login], step: `escalation step ${level}: ${target.login}` };
  const next = shiftNumbered(schedule, onCall.index + 1).login;
  return { logins: [next], step: `escalation step ${level}: next in rotation after ${onCall.login}` };
}
