import type { ConsoleDb } from '../console-db';

/** How many failed sign-ins a login (or an address) may have in the window before it must wait. */
export const THROTTLE = { maxFailures: 5, maxFailuresPerAddress: 20, windowMs: 15 * 60_000 } as const;

/**
 * Milliseconds until `login` from `address` may try again (0 = now). Failures are counted per
 * login and per address, persisted so a restart does not reset them.
 */
export function retryAfterMs(db: ConsoleDb, login: string, address: string): number {
  const since = Date.now() - THROTTLE.windowMs;
  const check = (key: string, max: number) => {
    const rows = db.prepare('SELECT at FROM login_failures WHERE key = ? AND at > ? ORDER BY at DESC LIMIT ?').all(key, since, max) as { at: number }[];
    return rows.length >= max ? rows[rows.length - 1].at + THROTTLE.windowMs - Date.now() : 0;
  };
  return Math.max(check(`login:${login.toLowerCase()}`, THROTTLE.maxFailures), check(`addr:${address}`, THROTTLE.maxFailuresPerAddress));
}

export function recordFailure(db: ConsoleDb, login: string, address: string): void {
  const insert = db.prepare('INSERT INTO login_failures (key, at) VALUES (?, ?)');
  const now = Date.now();
  insert.run(`login:${login.toLowerCase()}`, now);
  insert.run(`addr:${address}`, now);
  db.prepare('DELETE FROM login_failures WHERE at < ?').run(now - THROTTLE.windowMs);
}

export function clearFailures(db: ConsoleDb, login: string): void {
  db.prepare('DELETE FROM login_failures WHERE key = ?').run(`login:${login.toLowerCase()}`);
}
