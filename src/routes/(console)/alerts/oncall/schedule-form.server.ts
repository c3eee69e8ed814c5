import type { OncallSchedule } from '$lib/alerts/oncall/schedule';
import { numberOf, text } from '../form-fields.server';

/** Logins typed as a list: commas, spaces or new lines between them. */
const listOf = (value: string) => value.split(/[\s,]+/).filter(Boolean);

/** The escalation entry that means "whoever has the next shift"; anything else is a login. */
export const NEXT_IN_ROTATION = 'next_in_rotation';

/**
 * A schedule as the form posts it, for `ScheduleStore.save` to validate: participants and the
 * escalation chain are typed as lists (`ada, bob cleo`; `next_in_rotation, dan`).
 */
export function scheduleFromForm(form: FormData): unknown {
  return {
    id: text(form, 'id'),
    name: text(form, 'name'),
    timeZone: text(form, 'timeZone'),
    // <input type="time"> may send seconds.
    handoff: text(form, 'handoff').slice(0, 5),
    rotationDays: numberOf(form, 'rotationDays'),
    startsOn: text(form, 'startsOn'),
    participants: listOf(text(form, 'participants')),
    escalation: {
      ackMinutes: numberOf(form, 'ackMinutes'),
      chain: listOf(text(form, 'chain')).map((entry) => (entry === NEXT_IN_ROTATION ? { to: NEXT_IN_ROTATION } : { to: 'user', login: entry })),
    },
  };
}

/** A schedule's values as the form shows them. */
export function formValuesOf(schedule: OncallSchedule) {
  return {
    id: schedule.id,
    name: schedule.name,
    timeZone: schedule.timeZone,
    handoff: schedule.handoff,
    rotationDays: schedule.rotationDays,
    startsOn: schedule.startsOn,
    participants: schedule.participants.join(', '),
    ackMinutes: schedule.escalation.ackMinutes,
    chain: schedule.escalation.chain.map((target) => (target.to === 'user' ? target.login : NEXT_IN_ROTATION)).join(', '),
  };
}
export type ScheduleFormValues = ReturnType<typeof formValuesOf>;
