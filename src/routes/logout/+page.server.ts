import { error, redirect } from '@sveltejs/kit';
import { appendAudit } from '$lib/audit';
import { endSession, SESSION_COOKIE } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import type { Actions } from './$types';

export const load = () => redirect(303, '/');

export const actions = {
  default: async ({ request, cookies, locals }) => {
    const form = await request.formData();
    if (locals.identity?.kind !== 'user' || form.get('csrf') !== locals.identity.csrfToken) error(403, 'invalid sign-out request');
    const id = cookies.get(SESSION_COOKIE);
    const { db } = await consoleServices();
    if (id) endSession(db, id);
    appendAudit(db, { actor: locals.identity.login, action: 'session.signed_out', subject: `user:${locals.identity.login}` });
    cookies.delete(SESSION_COOKIE, { path: '/' });
    redirect(303, '/login');
  },
} satisfies Actions;
