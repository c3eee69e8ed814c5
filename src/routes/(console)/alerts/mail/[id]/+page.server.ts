import { error } from '@sveltejs/kit';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { idOf } from '../../form-fields.server';
import type { Actions, PageServerLoad } from './$types';
import { formAction } from '$lib/server/requests';

/** One alert email as it was composed: headers, text, the HTML rendered in a sandbox. */
export const load = (async ({ locals, params }) => {
  requirePermission(locals.identity, 'view');
  const { alerts, config } = await consoleServices();
  const message = alerts.outbox.get(idOf(params.id));
  if (!message) error(404, `No email ${params.id} in the outbox.`);
  return { message, from: config.smtp.from, mailConfigured: alerts.mailConfigured, demo: config.console.demo };
}) satisfies PageServerLoad;

export const actions = {
  /** A failed message back to pending, due now, with fresh attempts (someone fixed the cause). */
  retry: (event) =>
    formAction(event, 'respond', async (_form, actor) => {
      const { alerts } = await consoleServices();
      alerts.outbox.retry(idOf(event.params.id), actor);
      if (!alerts.mailConfigured) return 'Queued again; SMTP_URL is not set, so it waits in the outbox until it is.';
      // Not waiting for the pass: its outcome shows here on reload (and in the group's timeline).
      void alerts.deliverNow().catch(() => undefined);
      return 'Queued again and being sent now; reload to see how it went.';
    }),
} satisfies Actions;
