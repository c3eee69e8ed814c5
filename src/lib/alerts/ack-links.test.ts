import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { ackSecret, signAckToken, verifyAckToken } from './ack-links';

const secret = 'a-long-random-secret-for-tests-0123456789';
const claims = { groupId: 42, login: 'dana.k', expiresAt: Date.parse('2026-03-04T12:00:00Z') };
const before = claims.expiresAt - 1;

/** `token` with the character at `index` replaced by another base64url character. */
const flip = (token: string, index: number) => token.slice(0, index) + (token[index] === 'A' ? 'B' : 'A') + token.slice(index + 1);

describe('acknowledgement links', () => {
  it('signs a compact, URL-safe token that verifies to its claims until it expires', () => {
    const token = signAckToken(secret, claims);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(encodeURIComponent(token)).toBe(token);
    expect(token.length).toBeLessThan(120);
    expect(verifyAckToken(secret, token, before)).toEqual({ ok: true, ...claims });
    expect(verifyAckToken(secret, token, claims.expiresAt)).toEqual({ ok: false, reason: 'expired' });
  });

  it('works with a secret of random bytes', () => {
    const bytes = randomBytes(32);
    expect(verifyAckToken(bytes, signAckToken(bytes, claims), before)).toMatchObject({ ok: true });
    expect(verifyAckToken(randomBytes(32), signAckToken(bytes, claims), before)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a token signed with another secret, even an expired one', () => {
    const foreign = signAckToken('another-secret-of-plenty-length-0123456789', claims);
    expect(verifyAckToken(secret, foreign, before)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyAckToken(secret, foreign, claims.expiresAt + 1)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses an altered payload: another group, another person, a later expiry', () => {
    const [, signature] = signAckToken(secret, claims).split('.');
    for (const altered of [{ ...claims, groupId: 43 }, { ...claims, login: 'mallory' }, { ...claims, expiresAt: claims.expiresAt + 86_400_000 }]) {
      const [payload] = signAckToken(secret, altered).split('.');
      expect(verifyAckToken(secret, `${payload}.${signature}`, before)).toEqual({ ok: false, reason: 'bad_signature' });
    }
  });

  it('refuses a token changed in any single character', () => {
    const token = signAckToken(secret, claims);
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      expect(verifyAckToken(secret, flip(token, i), before).ok, `character ${i}`).toBe(false);
    }
  });

  it('calls anything that is not two base64url parts malformed', () => {
    const token = signAckToken(secret, claims);
    const [payload, signature] = token.split('.');
    for (const bad of ['', '.', payload, `${payload}.`, `.${signature}`, `${token}.x`, `${payload}.${signature.slice(1)}`, `${payload}.${signature}=`, `${payload}+.${signature}`, 'x'.repeat(10_000), null, 42, {}])
      expect(verifyAckToken(secret, bad, before)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('never throws, whatever arrives', () => {
    const alphabet = 'ABCxyz019_-.=+/%~ é\u0000';
    const token = signAckToken(secret, claims);
    for (let round = 0; round < 2_000; round++) {
      const length = Math.floor(Math.random() * 200);
      const noise = Array.from({ length }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
      const spliced = token.slice(0, Math.floor(Math.random() * token.length)) + noise;
      for (const input of [noise, spliced, randomBytes(length).toString('base64url')]) {
        const verdict = verifyAckToken(secret, input, before);
        expect(verdict.ok).toBe(false);
      }
    }
    expect(verifyAckToken(secret, token, Number.NaN)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses to sign claims that are not a group, a login and a time', () => {
    expect(() => signAckToken(secret, { ...claims, groupId: 1.5 })).toThrow();
    expect(() => signAckToken(secret, { ...claims, login: '' })).toThrow();
  });

  it('reads the secret from the console configuration, unset by default', () => {
    expect(ackSecret(loadConfig({}))).toBeUndefined();
    expect(ackSecret(loadConfig({ CROSSDOCK_ALERT_LINK_SECRET: secret }))).toBe(secret);
  });
});
