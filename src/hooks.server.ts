import { json, redirect, type Handle, type ServerInit } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { loadConfig } from '$lib/config';
import { bundledMigrations } from '$lib/server/clickhouse/bundled-migrations';
import { identify } from '$lib/server/auth/request-identity';
import { consoleServices, startConsoleServices, stopConsoleServices } from '$lib/server/console-services';

// The console process's composition root: configuration is parsed here, once, and everything
// else receives it. A bad variable or a refused migration stops the server before it serves.
export const init: ServerInit = async () => {
  await startConsoleServices(loadConfig(env), bundledMigrations);
  process.once('sveltekit:shutdown', () => void stopConsoleServices());
};

/** Routes anyone may reach; everything else needs a session or a service token. */
const PUBLIC = new Set(['/login', '/healthz']);
/** Acknowledgement links from alert email: the signed token in the path is the credential. */
const isAckLink = (path: string) => /^\/ack\/[^/]+$/.test(path);
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const handle: Handle = async ({ event, resolve }) => {
  const { db, config } = await consoleServices();
  const identity = identify(db, event.request, event.cookies, config.console.sessionTtlMs);
  event.locals.identity = identity;
  const path = event.url.pathname;
  const api = path.startsWith('/api/');

  if (!identity && !PUBLIC.has(path) && !isAckLink(path)) {
    if (api || event.request.headers.get('authorization')) return json({ message: 'authentication required: sign in, or send Authorization: Bearer <token>' }, { status: 401, headers: { 'www-authenticate': 'Bearer' } });
    redirect(303, `/login?next=${encodeURIComponent(path + event.url.search)}`);
  }
  // Cookie-authenticated API calls that change something must prove they come from our pages
  // (form actions are covered by SvelteKit's origin check and a token field of their own).
  if (api && identity?.kind === 'user' && MUTATING.has(event.request.method) && event.request.headers.get('x-csrf-token') !== identity.csrfToken)
    return json({ message: 'missing or wrong x-csrf-token header' }, { status: 403 });

  const response = await resolve(event);
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'same-origin');
  if (!api) response.headers.set('x-frame-options', 'DENY');
  return response;
};
