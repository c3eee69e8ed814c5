import { z } from 'zod';
import { appendAudit } from '../../audit';
import type { ConsoleDb } from '../console-db';
import { hashPassword, verifyPassword } from './passwords';
import { Role } from './roles';

export const Login = z
  .string()
  .min(2, 'must be at least 2 characters')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9._@-]+$/, 'may contain letters, digits and . _ @ -');

export const Password = z.string().min(10, 'must be at least 10 characters').max(256);

export interface User {
  id: number;
  login: string;
  name: string;
  role: Role;
}

export class UserExistsError extends Error {}

/** Adds a person (audited). The password is stored as an scrypt hash. */
export async function addUser(
  db: ConsoleDb,
  input: { login: string; name?: string; role: Role; password: string },
  options: { allowWeakPassword?: boolean; actor?: string } = {},
): Promise<User> {
  const login = Login.parse(input.login);
  const role = Role.parse(input.role);
  if (!options.allowWeakPassword) Password.parse(input.password);
  const hash = await hashPassword(input.password);
  try {
    const result = db.transaction(() => {
      const inserted = db.prepare('INSERT INTO users (login, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)').run(login, input.name ?? login, role, hash, Date.now());
      appendAudit(db, { actor: options.actor ?? 'cli', action: 'user.added', subject: `user:${login}`, detail: { after: { role } } });
      return inserted;
    })();
    return { id: Number(result.lastInsertRowid), login, name: input.name ?? login, role };
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new UserExistsError(`user ${login} already exists`);
    throw error;
  }
}

/** The user if the login exists, is enabled and the password matches. */
export async function checkCredentials(db: ConsoleDb, login: string, password: string): Promise<User | undefined> {
  const row = db.prepare('SELECT id, login, name, role, password_hash FROM users WHERE login = ? AND disabled = 0').get(login) as
    | (User & { password_hash: string })
    | undefined;
  // Hash anyway when the login is unknown, so timing does not tell which logins exist.
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  if (!row || !ok) return undefined;
  return { id: row.id, login: row.login, name: row.name, role: Role.parse(row.role) };
}

export class UnknownUserError extends Error {}

/** Changes a person's role (audited, with the role before and after). Their sessions keep working under the new role. */
export function setRole(db: ConsoleDb, login: string, role: Role, actor = 'cli'): User {
  const next = Role.parse(role);
  return db.transaction(() => {
    const row = db.prepare('SELECT id, login, name, role FROM users WHERE login = ?').get(login) as User | undefined;
    if (!row) throw new UnknownUserError(`no user ${login}`);
    db.prepare('UPDATE users SET role = ? WHERE id = ?').run(next, row.id);
    appendAudit(db, { actor, action: 'user.role_changed', subject: `user:${row.login}`, detail: { before: { role: row.role }, after: { role: next } } });
    return { ...row, role: next };
  })();
}

export function findUser(db: ConsoleDb, id: number): User | undefined {
  const row = db.prepare('SELECT id, login, name, role FROM users WHERE id = ? AND disabled = 0').get(id) as User | undefined;
  return row && { ...row, role: Role.parse(row.role) };
}

export const countUsers = (db: ConsoleDb): number => (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;

const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==';
