import { AlertingError, type Alerting } from '$lib/alerts';
import { escalationStep, shiftAt, upcomingShifts, type OncallSchedule, type Shift } from '$lib/alerts/oncall/schedule';
import { can, requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { text } from '../form-fields.server';
import { formValuesOf, scheduleFromForm } from './schedule-form.server';
import { utcText, zonedText } from './zoned';
import type { Actions, PageServerLoad } from './$types';
import { formAction } from '$lib/server/requests';

const UPCOMING = 6;

const shiftView = (schedule: OncallSchedule, shift: Shift) => ({
  login: shift.login,
  index: shift.index,
  startsLocal: zonedText(shift.startsAt.getTime(), schedule.timeZone),
  startsUtc: utcText(shift.startsAt.getTime()),
  endsLocal: zonedText(shift.endsAt.getTime(), schedule.timeZone),
  endsUtc: utcText(shift.endsAt.getTime()),
});

/** Who is told, step by step, when nobody acknowledges: "not acknowledged within 15 min: cleo". */
function chainInWords(schedule: OncallSchedule, now: Date): string[] {
  const { ackMinutes, chain } = schedule.escalation;
  const steps = [`first, whoever is on call (now ${shiftAt(schedule, now).login})`];
  chain.forEach((target, i) => {
    const who = target.to === 'user' ? target.login : `the next in rotation (now ${escalationStep(schedule, i + 1, now)?.logins.join(', ')})`;
    steps.push(`not acknowledged within ${ackMinutes * (i + 1)} min of the first email: ${who}`);
  });
  steps.push(chain.length ? 'then no further escalation; repeats go on until someone acknowledges' : 'no escalation: repeats go on until someone acknowledges');
  return steps;
}

function scheduleView(alerts: Alerting, schedule: OncallSchedule, now: Date, rulesBySchedule: Map<string, string[]>) {
  const [current, ...next] = upcomingShifts(schedule, now, UPCOMING + 1);
  return {
    id: schedule.id,
    name: schedule.name,
    timeZone: schedule.timeZone,
    summary: `${schedule.rotationDays === 7 ? 'weekly' : schedule.rotationDays === 1 ? 'daily' : `every ${schedule.rotationDays} days`}, handing over at ${schedule.handoff} ${schedule.timeZone}, from ${schedule.startsOn}`,
    participants: schedule.participants,
    current: { ...shiftView(schedule, current), started: current.startsAt.getTime() <= now.getTime() },
    next: next.map((shift) => shiftView(schedule, shift)),
    chain: chainInWords(schedule, now),
    problems: alerts.schedules.problems(schedule),
    rules: rulesBySchedule.get(schedule.id) ?? [],
    values: formValuesOf(schedule),
  };
}

/** On-call schedules: who answers now, the coming shifts in the schedule's zone and in UTC, and the escalation chain. */
export const load = (async ({ locals }) => {
  const identity = requirePermission(locals.identity, 'view');
  const { alerts } = await consoleServices();
  const now = new Date();
  const rulesBySchedule = new Map<string, string[]>();
  for (const rule of alerts.rules.list()) rulesBySchedule.set(rule.schedule, [...(rulesBySchedule.get(rule.schedule) ?? []), rule.name]);
  const schedules = alerts.schedules.list();
  const known = new Set(schedules.map((s) => s.id));
  return {
    schedules: schedules.map((schedule) => scheduleView(alerts, schedule, now, rulesBySchedule)),
    // Rules that name a schedule that does not exist notify nobody.
    orphans: [...rulesBySchedule].filter(([id]) => !known.has(id)).map(([id, rules]) => ({ id, rules })),
    timeZones: can(identity.role, 'administer') ? ['UTC', ...Intl.supportedValuesOf('timeZone')] : [],
    today: now.toISOString().slice(0, 10),
  };
}) satisfies PageServerLoad;

export const actions = {
  save: (event) =>
    formAction(event, 'administer', async (form, actor) => {
      const { alerts } = await consoleServices();
      const id = text(form, 'id');
      if (text(form, 'mode') === 'new' && alerts.schedules.get(id)) throw new AlertingError(409, `id: a schedule ${id} exists already; edit it instead`);
      const saved = alerts.schedules.save(scheduleFromForm(form), actor);
      return `Schedule ${saved.name} saved.`;
    }),
  remove: (event) =>
    formAction(event, 'administer', async (form, actor) => {
      const { alerts } = await consoleServices();
      const id = text(form, 'id');
      const users = alerts.rules.list().filter((rule) => rule.schedule === id);
      if (users.length) throw new AlertingError(409, `rules ${users.map((r) => r.name).join(', ')} tell this schedule; point them at another one first`);
      if (!alerts.schedules.remove(id, actor)) throw new AlertingError(404, `no schedule ${id}`);
      return `Schedule ${id} deleted.`;
    }),
} satisfies Actions;
