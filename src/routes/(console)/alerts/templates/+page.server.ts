import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { NoticeKind, type Recipient } from '$lib/alerts';
import { checkTemplate, compose, TemplateError, templateVariables, type MailTemplate } from '$lib/alerts/email';
import { recipientsOf } from '$lib/alerts/oncall/schedule-store';
import { actorOf, requirePermission, type Identity } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { parseQuery } from '$lib/server/query-params';
import { formAction, requireFormIdentity } from '$lib/server/requests';

import { sampleNotice } from './sample-notice.server';
import type { Actions, PageServerLoad } from './$types';

const Query = z.object({ kind: NoticeKind.default('firing') });

/** The preview's recipient: the person looking, with their address when they have one. */
async function previewFor(identity: Identity, kind: NoticeKind, template: MailTemplate) {
  const { alerts, db, config } = await consoleServices();
  const login = actorOf(identity);
  const recipient: Recipient = recipientsOf(db, [login]).recipients[0] ?? { login, name: identity.name, email: `${login.replace(/[^A-Za-z0-9._-]/g, '')}@example.com` };
  const { notice, real } = sampleNotice(alerts, kind, recipient, config.console.publicUrl, Date.now());
  const { subject, text, html } = compose(notice, template);
  return { subject, text, html, real };
}

/** Alert-email templates, one per notice kind, with their variables and a preview. */
export const load = (async ({ locals, url }) => {
  const identity = requirePermission(locals.identity, 'view');
  const { kind } = parseQuery(Query, url.searchParams);
  const { alerts } = await consoleServices();
  const template = alerts.templates.get(kind);
  return {
    kind,
    kinds: alerts.templates.all().map((t) => ({ kind: t.kind, custom: t.custom })),
    template,
    variables: templateVariables,
    preview: await previewFor(identity, kind, template),
  };
}) satisfies PageServerLoad;

const kindOf = (form: FormData) => NoticeKind.parse(form.get('kind'));
const draftOf = (form: FormData): MailTemplate => ({ subject: String(form.get('subject') ?? ''), body: String(form.get('body') ?? '').replace(/\r\n/g, '\n') });

export const actions = {
  save: (event) =>
    formAction(
      event,
      'administer',
      async (form, actor) => {
        const kind = kindOf(form);
        (await consoleServices()).alerts.templates.save(kind, draftOf(form), actor);
        return `The ${kind} template is saved; the next ${kind} email uses it.`;
      },
      (form) => ({ draft: draftOf(form) }),
    ),
  reset: (event) =>
    formAction(event, 'administer', async (form, actor) => {
      const kind = kindOf(form);
      (await consoleServices()).alerts.templates.reset(kind, actor);
      return `The ${kind} template is back to the default.`;
    }),
  /** Renders a draft without saving it. */
  preview: async ({ request, locals }) => {
    const form = await request.formData();
    const identity = requireFormIdentity(locals.identity, form, 'administer');
    const kind = NoticeKind.safeParse(form.get('kind'));
    const draft = draftOf(form);
    const on = String(form.get('form') ?? '');
    if (!kind.success) return fail(400, { on, message: 'unknown notice kind', draft });
    try {
      const preview = await previewFor(identity, kind.data, checkTemplate(draft));
      return { ok: true as const, on, message: 'Preview of your draft below; it is not saved yet.', draft, preview };
    } catch (failure) {
      if (failure instanceof TemplateError) return fail(422, { on, message: failure.message, draft });
      throw failure;
    }
  },
} satisfies Actions;
