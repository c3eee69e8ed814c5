import { json } from '@sveltejs/kit';
import { shiftAt, upcomingShifts } from '$lib/alerts/oncall/schedule';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import type { RequestHandler } from './$types';

/** On-call schedules with who is on call now, the next shifts and what each schedule lacks. */
export const GET: RequestHandler = async ({ locals }) => {
  requirePermission(locals.identity, 'view');
  const { alerts } = await consoleServices();
  const now = new Date();
  const schedules = alerts.schedules.list().map((schedule) => ({
    ...schedule,
    onCall: shiftAt(schedule, now),
    next: upcomingShifts(schedule, now, 6),
    problems: alerts.schedules.problems(schedule),
  }));
  return json({ schedules }, { headers: { 'cache-control': 'no-store' } });
};
