import { createHash, randomBytes } from 'node:crypto';

/** A fresh random secret, URL-safe. */
export const newSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');

/**
 * Session ids and API tokens are stored only as SHA-256 digests: a leaked database does not
 * hand out live credentials. (They are random, so a fast hash is enough; passwords use scrypt.)
 */
export const digest = (secret: string) => createHash('sha256').update(secret).digest('hex');
