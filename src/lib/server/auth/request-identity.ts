import type { Cookies } from '@sveltejs/kit';
import type { ConsoleDb } from '../console-db';
import type { Identity } from './identity';
import { readSession, SESSION_COOKIE } from './sessions';
import { verifyToken } from './tokens';

/** Resolves the caller from `Authorization: Bearer` or the session cookie. */
export function identify(db: ConsoleDb, request: Request, cookies: Cookies, sessionTtlMs: number): Identity | undefined {
  const authorization = request.headers.get('authorization');
  if (authorization) {
    const [scheme, token] = authorization.split(' ', 2);
    if (scheme?.toLowerCase() !== 'bearer' || !token) return undefined;
    const account = verifyToken(db, token);
    return account && { kind: 'token', ...account };
  }
  const sessionId = cookies.get(SESSION_COOKIE);
  if (!sessionId) return undefined;
  const session = readSession(db, sessionId, sessionTtlMs);
  return session && { kind: 'user', ...session.user, csrfToken: session.csrfToken };
}

/** Cookie settings for the session: HttpOnly, SameSite=Lax, Secure except on plain-HTTP loopback. */
export function sessionCookieOptions(url: URL, ttlMs: number) {
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: url.protocol === 'https:' || !loopback, maxAge: Math.floor(ttlMs / 1000) };
}
