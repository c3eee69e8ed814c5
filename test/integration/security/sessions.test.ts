import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli, startCli, waitForHttp } from '../../support/cli';
import { signIn } from '../../support/console-client';

/**
 * Attacks on sign-in and sessions against the built console: cookie flags, a fresh session id at
 * every sign-in (no fixation), CSRF on cookie API calls and on forms, and login throttling that
 * holds across the right password.
 */
describe('sessions, CSRF and login throttling (built console)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-sessions-'));
  let base: string;
  let server: ReturnType<typeof startCli>;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    for (const [login, role] of [['sam', 'support'], ['tess', 'support']])
      await runCli(['user', 'add', '--login', login, '--role', role], { CROSSDOCK_DATA_DIR: dataDir, CROSSDOCK_NEW_PASSWORD: `${login}-the-long-password` });
    server = startCli(['console'], { CROSSDOCK_DATA_DIR: dataDir, CROSSDOCK_CONSOLE_PORT: String(port), CROSSDOCK_COLLECTOR_PORT: String(await freePort()), CROSSDOCK_ALERT_EVAL_MS: '0' });
    await waitForHttp(`${base}/healthz`);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('sets an HttpOnly, SameSite session cookie and a new id at every sign-in, ignoring one brought along', async () => {
    const response = await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, accept: 'text/html', cookie: 'crossdock_session=planted-by-an-attacker' },
      body: new URLSearchParams({ login: 'sam', password: 'sam-the-long-password' }),
    });
    expect(response.status).toBe(303);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/crossdock_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const first = /crossdock_session=([^;]+)/.exec(setCookie)![1];
    expect(first).not.toBe('planted-by-an-attacker');
    const again = await signIn(base, 'sam', 'sam-the-long-password');
    expect(again.cookie).toBeDefined();
    expect(again.cookie).not.toBe(`crossdock_session=${first}`);
    // The planted id opens nothing.
    const planted = await fetch(`${base}/api/v1/alerts`, { headers: { cookie: 'crossdock_session=planted-by-an-attacker' } });
    expect(planted.status).toBe(401);
  });

  it('refuses cookie API calls and forms without the session CSRF token, and forms from another origin', async () => {
    const { cookie } = await signIn(base, 'sam', 'sam-the-long-password');
    const silence = JSON.stringify({ matchers: { warehouse: 'wms-rest' }, endsAt: new Date(Date.now() + 3_600_000).toISOString(), reason: 'csrf probe' });
    const noToken = await fetch(`${base}/api/v1/alerts/silences`, { method: 'POST', headers: { cookie: cookie!, 'content-type': 'application/json' }, body: silence });
    expect(noToken.status).toBe(403);
    expect((await noToken.json()).message).toMatch(/x-csrf-token/);
    const wrongToken = await fetch(`${base}/api/v1/alerts/silences`, { method: 'POST', headers: { cookie: cookie!, 'content-type': 'application/json', 'x-csrf-token': 'guess' }, body: silence });
    expect(wrongToken.status).toBe(403);

    const form = new URLSearchParams({ kind: 'silence', warehouse: 'wms-rest', endsAt: '2099-01-01T00:00', reason: 'csrf probe' });
    const formWithoutToken = await fetch(`${base}/alerts?/silence`, { method: 'POST', redirect: 'manual', headers: { cookie: cookie!, origin: base, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    expect(formWithoutToken.status).toBe(403);
    const crossSite = await fetch(`${base}/alerts?/silence`, { method: 'POST', redirect: 'manual', headers: { cookie: cookie!, origin: 'https://evil.example', accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    expect(crossSite.status).toBe(403);
    const { current } = await (await fetch(`${base}/api/v1/alerts/silences`, { headers: { cookie: cookie! } })).json();
    expect(current).toEqual([]);
  });

  it('throttles a login after 5 failures, even with the right password, and says when to try again', async () => {
    for (let i = 0; i < 5; i++) expect((await signIn(base, 'tess', 'not-the-password')).status).toBe(400);
    const locked = await signIn(base, 'tess', 'tess-the-long-password');
    expect(locked.cookie).toBeUndefined();
    expect(locked.status).toBe(429);
    expect(locked.body).toMatch(/try again in \d+ min/i);
    // Another person is not locked out by it.
    expect((await signIn(base, 'sam', 'sam-the-long-password')).cookie).toBeDefined();
  });

  it('sends a Content-Security-Policy that allows only our own scripts, no plugins and no framing', async () => {
    const csp = (await fetch(`${base}/login`)).headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
  });
});
