import type { ConsoleDb } from '../console-db';
import { digest, newSecret } from './secrets';
import { findUser, type User } from './users';

export const SESSION_COOKIE = 'crossdock_session';

export interface Session {
  user: User;
  /** Sent back on every mutating call (form field or `x-csrf-token` header). */
  csrfToken: string;
  expiresAt: number;
}

/**
 * Starts a session and returns its id for the cookie. A fresh id at every sign-in, so an id
 * planted before sign-in (session fixation) is worthless.
 */
export function createSession(db: ConsoleDb, user: User, ttlMs: number): { id: string; session: Session } {
  const id = newSecret();
  const session = { user, csrfToken: newSecret(24), expiresAt: Date.now() + ttlMs };
  db.prepare('INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(
    digest(id),
    user.id,
    session.csrfToken,
    Date.now(),
    session.expiresAt,
  );
  return { id, session };
}

/** The live session for a cookie value, extending it (sliding expiry); undefined when expired or unknown. */
export function readSession(db: ConsoleDb, id: string, ttlMs: number): Session | undefined {
  const row = db.prepare('SELECT user_id, csrf_token, expires_at FROM sessions WHERE id_hash = ?').get(digest(id)) as
    | { user_id: number; csrf_token: string; expires_at: number }
    | undefined;
  if (!row) return undefined;
  const now = Date.now();
  if (row.expires_at <= now) {
    endSession(db, id);
    return undefined;
  }
  const user = findUser(db, row.user_id);
  if (!user) return undefined;
  const expiresAt = now + ttlMs;
  // Extend at most once a minute, not on every request.
  if (expiresAt - row.expires_at > 60_000) db.prepare('UPDATE sessions SET expires_at = ? WHERE id_hash = ?').run(expiresAt, digest(id));
  return { user, csrfToken: row.csrf_token, expiresAt };
}

export function endSession(db: ConsoleDb, id: string): void {
  db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(digest(id));
}

/** Drops expired sessions; run now and then. */
export const pruneSessions = (db: ConsoleDb) => db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(Date.now()).changes;
