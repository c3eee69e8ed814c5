import { error, json } from '@sveltejs/kit';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import type { RequestHandler } from './$types';

/** One notification group: its alerts (while it was open), its history and the email it produced. */
export const GET: RequestHandler = async ({ locals, params }) => {
  requirePermission(locals.identity, 'view');
  const { alerts } = await consoleServices();
  const group = alerts.groups.get(Number(params.id));
  if (!group) error(404, `no alert group ${params.id}`);
  return json(
    {
      group,
      alerts: [...alerts.book.firedInGroup(group.groupKey, group.openedAt), ...alerts.book.activeInGroup(group.groupKey).filter((a) => a.state === 'pending')],
      history: alerts.book.history({ groupId: group.id, limit: 500 }).items,
      mail: alerts.outbox.list({ groupId: group.id, limit: 100 }).items.map(({ id, kind, recipient, subject, status, attempts, lastError, sentAt }) => ({ id, kind, recipient, subject, status, attempts, lastError, sentAt })),
    },
    { headers: { 'cache-control': 'no-store' } },
  );
};
