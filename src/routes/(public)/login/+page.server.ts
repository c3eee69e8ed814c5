import { fail, redirect } from '@sveltejs/kit';
import { appendAudit } from '$lib/audit';
import { checkCredentials, clearFailures, createSession, recordFailure, retryAfterMs, SESSION_COOKIE } from '$lib/server/auth';
import { sessionCookieOptions } from '$lib/server/auth/request-identity';
import { consoleServices, DEMO_PASSWORD } from '$lib/server/console-services';
import type { Actions, PageServerLoad } from './$types';

/** Only same-site paths, so the sign-in page cannot be used to redirect elsewhere. */
const safeNext = (next: string | null) => (next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/');

export const load = (async ({ locals, url }) => {
  if (locals.identity?.kind === 'user') redirect(303, safeNext(url.searchParams.get('next')));
  const { config } = await consoleServices();
  return { demo: config.console.demo ? { password: DEMO_PASSWORD, logins: ['support', 'manager', 'approver', 'viewer', 'admin'] } : null };
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ request, cookies, url, getClientAddress }) => {
    const form = await request.formData();
    const login = String(form.get('login') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const { db, config } = await consoleServices();
    const address = getClientAddress();

    const wait = retryAfterMs(db, login, address);
    if (wait > 0) return fail(429, { login, message: `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60_000)} minute(s).` });
    if (!login || !password) return fail(400, { login, message: 'Enter your login and password.' });

    const user = await checkCredentials(db, login, password);
    if (!user) {
      recordFailure(db, login, address);
      appendAudit(db, { actor: login.slice(0, 64) || '(empty)', action: 'session.sign_in_refused', subject: `user:${login.slice(0, 64)}`, detail: { address } });
      return fail(400, { login, message: 'Wrong login or password.' });
    }
    clearFailures(db, login);
    // A new session id at every sign-in: an id planted beforehand is never promoted.
    const previous = cookies.get(SESSION_COOKIE);
    if (previous) cookies.delete(SESSION_COOKIE, { path: '/' });
    const { id } = createSession(db, user, config.console.sessionTtlMs);
    cookies.set(SESSION_COOKIE, id, sessionCookieOptions(url, config.console.sessionTtlMs));
    appendAudit(db, { actor: user.login, action: 'session.signed_in', subject: `user:${user.login}`, detail: { role: user.role, address } });
    redirect(303, safeNext(url.searchParams.get('next')));
  },
} satisfies Actions;
