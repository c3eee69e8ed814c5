import { z } from 'zod';
import { appendAudit } from '../../audit';
import { isUniqueViolation, type ConsoleDb } from '../console-db';
import { hashPassword, verifyPassword } from './passwords';
import { Role } from './roles';

export const Login = z
  .string()
  .min(2, 'must be at least 2 characters')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9._@-]+$/, 'may contain letters, digits and . _ @ -');

export const Password = z.string().min(10, 'must be at least 10 characters').max(256);

/** Where alert email goes. 254 characters is the most an SMTP path can carry (RFC 5321 §4.5.3.1.3). */
export const Email = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ error: 'must be an email address such as ada@example.com' }));

export interface User {
  id: number;
  login: string;
  name: string;
  role: Role;
  /** Where alert email goes; null until someone sets it. */
  email: string | null;
}

export class UserExistsError extends Error {}

/** Adds a person (audited). The password is stored as an scrypt hash. */
export async function addUser(
  db: ConsoleDb,
  input: { login: string; name?: string; role: Role; password: string; email?: string | null },
  options: { allowWeakPassword?: boolean; actor?: string } = {},
): Promise<User> {
  const login = Login.parse(input.login);
  const role = Role.parse(input.role);
  const email = Email.nullable().parse(input.email ?? null);
  if (!options.allowWeakPassword) Password.parse(input.password);
  const hash = await hashPassword(input.password);
  const name = input.name ?? login;
  try {
    const result = db.transaction(() => {
      const inserted = db
        .prepare('INSERT INTO users (login, name, role, password_hash, email, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(login, name, role, hash, email, Date.now());
      appendAudit(db, { actor: options.actor ?? 'cli', action: 'user.added', subject: `user:${login}`, detail: { after: { role, email } } });
      return inserted;
    })();
    return { id: Number(result.lastInsertRowid), login, name, role, email };
  } catch (error) {
    if (isUniqueViolation(error)) throw new UserExistsError(`user ${login} already exists`);
    throw error;
  }
}

/** The user if the login exists, is enabled and the password matches. */
export async function checkCredentials(db: ConsoleDb, login: string, password: string): Promise<User | undefined> {
  const row = db.prepare(`SELECT ${USER_COLUMNS}, password_hash FROM users WHERE login = ? AND disabled = 0`).get(login) as
    | (User & { password_hash: string })
    | undefined;
  // Hash anyway when the login is unknown, so timing does not tell which logins exist.
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  if (!row || !ok) return undefined;
  return toUser(row);
}

export class UnknownUserError extends Error {}

/** Changes a person's role (audited, with the role before and after). Their sessions keep working under the new role. */
export function setRole(db: ConsoleDb, login: string, role: Role, actor = 'cli'): User {
  const next = Role.parse(role);
  return db.transaction(() => {
    const row = userByLogin(db, login);
    db.prepare('UPDATE users SET role = ? WHERE id = ?').run(next, row.id);
    appendAudit(db, { actor, action: 'user.role_changed', subject: `user:${row.login}`, detail: { before: { role: row.role }, after: { role: next } } });
    return { ...row, role: next };
  })();
}

/**
 * Sets or, with null, clears where a person's alert email goes (audited, with the address before
 * and after). Setting the address they already have changes nothing and is not audited.
 */
export function setEmail(db: ConsoleDb, login: string, email: string | null, actor = 'cli'): User {
  const next = Email.nullable().parse(email);
  return db.transaction(() => {
    const row = userByLogin(db, login);
    if (row.email === next) return row;
    db.prepare('UPDATE users SET email = ? WHERE id = ?').run(next, row.id);
    appendAudit(db, { actor, action: 'user.email_changed', subject: `user:${row.login}`, detail: { before: { email: row.email }, after: { email: next } } });
    return { ...row, email: next };
  })();
}

export function findUser(db: ConsoleDb, id: number): User | undefined {
  const row = db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE id = ? AND disabled = 0`).get(id) as User | undefined;
  return row && toUser(row);
}

/** A person as the people and on-call pages list them, disabled ones included. */
export interface UserSummary {
  login: string;
  name: string;
  role: Role;
  email: string | null;
  disabled: boolean;
}

/** Everyone, ordered by login. */
export function listUsers(db: ConsoleDb): UserSummary[] {
  const rows = db.prepare('SELECT login, name, role, email, disabled FROM users ORDER BY login').all() as (Omit<UserSummary, 'disabled'> & { disabled: number })[];
  return rows.map((row) => ({ ...row, role: Role.parse(row.role), disabled: row.disabled !== 0 }));
}

const USER_COLUMNS = 'id, login, name, role, email';

const toUser = (row: User): User => ({ id: row.id, login: row.login, name: row.name, role: Role.parse(row.role), email: row.email });

// Logins compare without case (the column is COLLATE NOCASE), so `Dana` finds dana.
function userByLogin(db: ConsoleDb, login: string): User {
  const row = db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE login = ?`).get(login) as User | undefined;
  if (!row) throw new UnknownUserError(`no user ${login}`);
  return toUser(row);
}

export const countUsers = (db: ConsoleDb): number => (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;

const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==';
