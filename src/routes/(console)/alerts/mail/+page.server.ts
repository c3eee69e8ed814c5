import { OutboxFilter } from '$lib/alerts/email';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { parseQuery } from '$lib/server/query-params';
import type { PageServerLoad } from './$types';

/** The outbox: every alert email with its delivery state, newest first. */
export const load = (async ({ locals, url }) => {
  requirePermission(locals.identity, 'view');
  const filter = OutboxFilter.parse(parseQuery(OutboxFilter, url.searchParams));
  const { alerts, config } = await consoleServices();
  const { total, items } = alerts.outbox.list(filter);
  return {
    filter,
    total,
    items: items.map((m) => ({
      id: m.id,
      groupId: m.groupId,
      kind: m.kind,
      to: `${m.recipient.name} <${m.recipient.email}>`,
      subject: m.subject,
      status: m.status,
      attempts: m.attempts,
      lastError: m.lastError,
      createdAt: m.createdAt,
      sentAt: m.sentAt,
      nextAttemptAt: m.status === 'pending' ? m.nextAttemptAt : null,
    })),
    pending: alerts.outbox.countPending(),
    mailConfigured: alerts.mailConfigured,
    demo: config.console.demo,
  };
}) satisfies PageServerLoad;
