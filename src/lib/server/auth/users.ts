import { z } from 'zod';
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

/** Adds a person. The password is stored as an scrypt hash. */
export async function addUser(db: ConsoleDb, input: { login: string; name?: string; role: Role; password: string }, options: { allowWeakPassword?: boolean } = {}): Promise<User> {
  const login = Login.parse(input.login);
  const role = Role.parse(input.role);
  if (!options.allowWeakPassword) Password.parse(input.password);
  const hash = await hashPassword(input.password);
  try {
    const result = db
      .prepare('INSERT INTO users (login, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(login, input.name ?? login, role, hash, Date.now());
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

export function findUser(db: ConsoleDb, id: number): User | undefined {
  const row = db.prepare('SELECT id, login, name, role FROM users WHERE id = ? AND disabled = 0').get(id) as User | undefined;
  return row && { ...row, role: Role.parse(row.role) };
}

export const countUsers = (db: ConsoleDb): number => (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;

const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==';
