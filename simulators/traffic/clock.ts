/** Minutes in a day. */
export const DAY_MINUTES = 1_440;

export interface DemoClockOptions {
  /** Demo minutes that pass per real minute: 48 plays a day in 30 minutes. */
  speed: number;
  /** Time of day the first demo day starts at, in minutes after midnight. @defaultValue 480 (08:00) */
  startMinuteOfDay?: number;
  /** Demo minutes already played before this run (a resumed demo). @defaultValue 0 */
  elapsedMinutes?: number;
}

/** A moment of the demo. */
export interface DemoTime {
  /** Demo minutes since the demo began (fractional). */
  elapsed: number;
  /** 1 for the first demo day; a demo day is 24 demo hours from the start time. */
  day: number;
  /** Demo minutes since the current demo day began, 0 ≤ x < 1440: what incidents are scheduled on. */
  intoDay: number;
  /** Local time of day in minutes after midnight, 0 ≤ x < 1440: what the order curve follows. */
  clockMinute: number;
}

/**
 * Demo time as a pure function of real time: `elapsed = resumed + realMs × speed / 60 000`.
 * Nothing here reads a clock; callers pass the real time in, so tests need no fake timers.
 */
export class DemoClock {
  readonly speed: number;
  readonly startMinuteOfDay: number;
  readonly #resumedAt: number;

  constructor(
    options: DemoClockOptions,
    /** Real time (ms) at which `elapsedMinutes` was reached. */
    readonly realStartMs: number,
  ) {
    if (!(options.speed > 0)) throw new RangeError(`speed must be above 0, not ${options.speed}`);
    this.speed = options.speed;
    this.startMinuteOfDay = options.startMinuteOfDay ?? 8 * 60;
    this.#resumedAt = options.elapsedMinutes ?? 0;
  }

  /** Demo minutes elapsed at real time `realMs`. */
  elapsedAt(realMs: number): number {
    return this.#resumedAt + (Math.max(0, realMs - this.realStartMs) * this.speed) / 60_000;
  }

  /** Real milliseconds that `demoMinutes` take at this speed. */
  realMsFor(demoMinutes: number): number {
    return (demoMinutes * 60_000) / this.speed;
  }

  timeOf(elapsed: number): DemoTime {
    return {
      elapsed,
      day: Math.floor(elapsed / DAY_MINUTES) + 1,
      intoDay: elapsed % DAY_MINUTES,
      clockMinute: (this.startMinuteOfDay + elapsed) % DAY_MINUTES,
    };
  }

  /** `day 1 08:20`, how the generator's output names a moment. */
  label(elapsed: number): string {
    const t = this.timeOf(elapsed);
    return `day ${t.day} ${clockText(t.clockMinute)}`;
  }
}

/** `HH:MM` for minutes after midnight. */
export function clockText(minuteOfDay: number): string {
  const m = Math.floor(minuteOfDay) % DAY_MINUTES;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
