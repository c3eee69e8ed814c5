import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { answer } from '$lib/server/requests';
import type { RequestHandler } from './$types';

/** Runs one evaluation pass now (and sends what it produced) instead of waiting for the schedule. */
export const POST: RequestHandler = async ({ locals }) => {
  requirePermission(locals.identity, 'administer');
  const { alerts } = await consoleServices();
  return answer(async () => {
    await alerts.evaluateNow();
    return { alerts: alerts.book.list({ state: ['pending', 'firing'], limit: 500 }).items, groups: alerts.groups.open() };
  });
};
