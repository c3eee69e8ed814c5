import { z } from 'zod';
import { appendAudit } from '../../audit';
import { isUniqueViolation, type ConsoleDb } from '../console-db';
import { Role } from './roles';
import { digest, newSecret } from './secrets';

export const TokenName = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, 'may contain letters, digits and . _ -');

export interface ServiceAccount {
  name: string;
  role: Role;
}

export class TokenExistsError extends Error {}

/** Creates a service-account token (audited); the plaintext is returned once and stored only as a digest. */
export function createToken(db: ConsoleDb, input: { name: string; role: Role }, actor = 'cli'): string {
  const name = TokenName.parse(input.name);
  const role = Role.parse(input.role);
  const token = `cdk_${newSecret()}`;
  try {
    db.transaction(() => {
      db.prepare('INSERT INTO api_tokens (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)').run(name, role, digest(token), Date.now());
      appendAudit(db, { actor, action: 'token.created', subject: `token:${name}`, detail: { after: { role } } });
    })();
  } catch (error) {
    if (isUniqueViolation(error)) throw new TokenExistsError(`a token named ${name} already exists`);
    throw error;
  }
  return token;
}

/** The service account a bearer token belongs to, unless it is unknown or revoked. */
export function verifyToken(db: ConsoleDb, token: string): ServiceAccount | undefined {
  if (!token.startsWith('cdk_')) return undefined;
  const row = db.prepare('SELECT id, name, role FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL').get(digest(token)) as
    | { id: number; name: string; role: string }
    | undefined;
  if (!row) return undefined;
  db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(Date.now(), row.id);
  return { name: row.name, role: Role.parse(row.role) };
}

/** Revokes a token by name (audited); returns whether one was live. */
export function revokeToken(db: ConsoleDb, name: string, actor = 'cli'): boolean {
  return db.transaction(() => {
    const revoked = db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL').run(Date.now(), name).changes > 0;
    if (revoked) appendAudit(db, { actor, action: 'token.revoked', subject: `token:${name}` });
    return revoked;
  })();
}

export function listTokens(db: ConsoleDb) {
  return db.prepare('SELECT name, role, created_at AS createdAt, revoked_at AS revokedAt, last_used_at AS lastUsedAt FROM api_tokens ORDER BY name').all() as {
    name: string;
    role: Role;
    createdAt: number;
    revokedAt: number | null;
    lastUsedAt: number | null;
  }[];
}
