import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Config } from '../config';

/**
 * Signed acknowledgement links: the token in the "Acknowledge" link of an alert email says which
 * alert group, for whom, until when, and carries an HMAC-SHA256 over exactly that. Whoever holds
 * the link may acknowledge that one group as that person until it expires, without signing in;
 * nothing else. The link opens a confirmation page and the acknowledgement is its POST, because
 * mail scanners fetch links they see.
 *
 * Format: `base64url(JSON payload) + "." + base64url(HMAC)`, about 110 characters.
 */

/** What a token vouches for. `expiresAt` is in ms since the epoch. */
export const AckClaims = z.strictObject({
  groupId: z.number().int().positive(),
  login: z.string().min(1).max(64),
  expiresAt: z.number().int().nonnegative(),
});
export type AckClaims = z.infer<typeof AckClaims>;

export type AckVerdict = ({ ok: true } & AckClaims) | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/** The link secret: a string (from configuration) or random bytes. */
export type AckSecret = string | Buffer;

// Short keys keep links short; the schema maps them back.
const Payload = z.strictObject({ g: AckClaims.shape.groupId, l: AckClaims.shape.login, e: AckClaims.shape.expiresAt });

// Bound into every MAC, so a signature made with the same secret for some other purpose
// (or a later version of this format) is never accepted here.
const PURPOSE = 'crossdock.alert-ack.v1';

const BASE64URL = /^[A-Za-z0-9_-]+$/;
// 32 bytes of HMAC-SHA256 are 43 base64url characters without padding.
const SIGNATURE_LENGTH = 43;
// Far longer than any token we sign; anything longer is refused before it costs a MAC.
const MAX_TOKEN_LENGTH = 512;

const mac = (secret: AckSecret, payload: string) => createHmac('sha256', secret).update(`${PURPOSE}.${payload}`).digest('base64url');

/** A URL-safe token for `claims`; throws on claims that are not whole numbers or a login. */
export function signAckToken(secret: AckSecret, claims: AckClaims): string {
  const { groupId, login, expiresAt } = AckClaims.parse(claims);
  const payload = Buffer.from(JSON.stringify({ g: groupId, l: login, e: expiresAt })).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

/**
 * Checks a token from a link at `now` (ms). Never throws, whatever arrives: anything that is not
 * two base64url parts is `malformed`; a MAC that does not match (another secret, an altered
 * payload) is `bad_signature`; a genuine token past its time is `expired`. The payload is read
 * only once its MAC holds.
 */
export function verifyAckToken(secret: AckSecret, token: unknown, now: number): AckVerdict {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const [payload, signature, ...rest] = token.split('.');
  if (rest.length > 0 || !BASE64URL.test(payload) || signature === undefined || signature.length !== SIGNATURE_LENGTH || !BASE64URL.test(signature))
    return { ok: false, reason: 'malformed' };
  // Compared as text of equal length, so every spelling but ours of the same bytes fails too.
  if (!timingSafeEqual(Buffer.from(mac(secret, payload)), Buffer.from(signature))) return { ok: false, reason: 'bad_signature' };
  const claims = readPayload(payload);
  if (!claims) return { ok: false, reason: 'malformed' };
  // Written so that a `now` that is not a number counts as expired, never as valid.
  if (!(now < claims.expiresAt)) return { ok: false, reason: 'expired' };
  return { ok: true, ...claims };
}

function readPayload(payload: string): AckClaims | undefined {
  try {
    const parsed = Payload.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    return parsed.success ? { groupId: parsed.data.g, login: parsed.data.l, expiresAt: parsed.data.e } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The configured link secret (`CROSSDOCK_ALERT_LINK_SECRET`), or undefined: then the caller makes
 * a random one per process, and links stop working when the console restarts.
 */
export const ackSecret = (config: Pick<Config, 'console'>): string | undefined => config.console.alertLinkSecret;
