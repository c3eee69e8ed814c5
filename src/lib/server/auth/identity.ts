import { error } from '@sveltejs/kit';
import { can, type Permission, type Role } from './roles';

/** Who is calling: a signed-in person (cookie session) or a service account (bearer token). */
export type Identity =
  | { kind: 'user'; id: number; login: string; name: string; role: Role; csrfToken: string }
  | { kind: 'token'; name: string; role: Role };

/**
 * Throws 401 for anonymous callers and 403 for callers whose role lacks `permission`; returns
 * the identity otherwise. Every page load, form action and API handler calls it.
 */
export function requirePermission(identity: Identity | undefined, permission: Permission): Identity {
  if (!identity) error(401, 'sign in, or send Authorization: Bearer <token>');
  if (!can(identity.role, permission)) error(403, `the ${identity.role} role may not do this (needs ${permission})`);
  return identity;
}

/** Display name of an identity for audit records. */
export const actorOf = (identity: Identity) => (identity.kind === 'user' ? identity.login : `token:${identity.name}`);
