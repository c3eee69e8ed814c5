import { dayCurve } from '../odoo/generator';
import { DAY_MINUTES } from './clock';

/**
 * Orders the distribution day owes between two demo moments: the Odoo generator's day curve
 * (quiet overnight, peaks before the 11:00 and 15:00 cut-offs) times `baseOrdersPerHour`,
 * integrated hour by hour of local time, so a tick that spans an hour boundary is paced by both
 * hours. Fractional; the caller carries the remainder to the next tick.
 *
 * @param startMinuteOfDay local time at demo minute 0, in minutes after midnight
 */
export function ordersBetween(fromElapsed: number, toElapsed: number, options: { baseOrdersPerHour: number; startMinuteOfDay: number }): number {
  let owed = 0;
  for (let t = fromElapsed; t < toElapsed; ) {
    const clock = (options.startMinuteOfDay + t) % DAY_MINUTES;
    const hour = Math.floor(clock / 60);
    const segment = Math.min(toElapsed - t, 60 - (clock - hour * 60));
    owed += (options.baseOrdersPerHour * dayCurve[hour] * segment) / 60;
    // Rounding can leave a sliver too small to move a large `t`; stop rather than spin.
    if (t + segment <= t) break;
    t += segment;
  }
  return owed;
}
