import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTEFACTS, launchBrowser, signInAs } from '../support/browser';
import { freePort, startCli, waitForHttp } from '../support/cli';
import { stockProvider } from '../support/otel-sdk';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';

const PASSWORD = 'crossdock-demo';

/**
 * Issue 10's journey in Chromium on the built console in demo mode: an admin tightens the
 * partner rule (a bad value is refused next to its field), a WMS starts failing, the on-call's
 * email arrives over real SMTP, its signed link acknowledges without signing in, support sees who
 * took it and puts the warehouse in maintenance; a viewer is offered none of those actions.
 */
describe('alerting journey in Chromium', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-alerting-e2e-'));
  let base: string;
  let collector: string;
  let server: ReturnType<typeof startCli>;
  let smtp: SmtpSink;
  let browser: Browser;
  let ackLink: string;
  let onCall: string;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    const [port, collectorPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${port}`;
    collector = `http://127.0.0.1:${collectorPort}`;
    server = startCli(['console'], {
      CROSSDOCK_DATA_DIR: dataDir,
      CROSSDOCK_CONSOLE_PORT: String(port),
      CROSSDOCK_COLLECTOR_PORT: String(collectorPort),
      CROSSDOCK_DEMO: 'true',
      CROSSDOCK_ALERT_EVAL_MS: '300',
      CROSSDOCK_PUBLIC_URL: base,
      SMTP_URL: smtp.url,
    });
    await waitForHttp(`${base}/healthz`);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.close();
  });

  it('lets an admin tighten the partner rule, refusing a bad value next to its field', async () => {
    const page = await browser.newPage();
    await signInAs(page, base, 'admin', PASSWORD);
    await page.goto(`${base}/alerts/rules/partner-down`);
    await page.fill('input[name="condition.windowMinutes"]', '0');
    await page.click('button:has-text("Save changes")');
    await expect.poll(() => page.textContent('main')).toMatch(/condition\.windowMinutes: must be at least 1 minute/);
    await page.fill('input[name="condition.windowMinutes"]', '5');
    await page.fill('input[name="forMinutes"]', '0');
    await page.fill('input[name="condition.errorRatePercent"]', '50');
    await page.click('button:has-text("Save changes")');
    await expect.poll(async () => (await (await page.request.get(`${base}/api/v1/alerts/rules/partner-down`)).json()).forMinutes).toBe(0);
    await page.goto(`${base}/alerts/rules`);
    expect(await page.textContent('main')).toMatch(/error rate at least 50%/);
    await page.screenshot({ path: join(ARTEFACTS, 'alerts-rules.png'), fullPage: true });
    await page.close();
  });

  it('emails the on-call when the WMS fails, and the link in it acknowledges without a sign-in', async () => {
    const provider = stockProvider(collector, 'protobuf', { service: 'crossdock-runtime' });
    const tracer = provider.getTracer('alerting-journey');
    for (let i = 0; i < 12; i++) {
      const span = tracer.startSpan('POST /orders', { kind: SpanKind.CLIENT, attributes: { 'correlation.id': `S0600${i}`, 'crossdock.endpoint.id': 'wms-rest', 'http.response.status_code': 503 } });
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'Service Unavailable' });
      span.end();
    }
    await provider.shutdown();

    const [mail] = await smtp.waitFor(1, 30_000);
    expect(mail.mail.subject).toMatch(/^\[FIRING · CRITICAL\] wms-rest/);
    onCall = mail.to[0].split('@')[0];
    expect(['approver', 'support']).toContain(onCall); // the demo rota: whoever has this week
    ackLink = /\/ack\/[A-Za-z0-9_.-]+/.exec(mail.mail.text ?? '')![0];

    // A fresh browser with no session, as from a mail client.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}${ackLink}`);
    expect(await page.textContent('main')).toMatch(/wms-rest/);
    await page.screenshot({ path: join(ARTEFACTS, 'alerts-ack-link.png'), fullPage: true });
    await page.click(`button:has-text("Acknowledge as ${onCall}")`);
    await expect.poll(() => page.textContent('main')).toMatch(/acknowledged/i);
    await context.close();
  });

  it('shows support who took it and lets them put the warehouse in maintenance', async () => {
    const page = await browser.newPage();
    await signInAs(page, base, 'support', PASSWORD);
    await page.goto(`${base}/alerts`);
    expect(await page.textContent('main')).toContain(onCall);
    await page.selectOption('select[name="kind"]', 'maintenance');
    await page.fill('input[name="warehouse"]', 'wms-rest');
    await page.fill('input[name="reason"]', 'WMS vendor patching, ticket CHG-1234');
    await page.click('form[aria-label="Add a silence or maintenance window"] button[type="submit"]');
    await expect.poll(() => page.textContent('main')).toContain('WMS vendor patching, ticket CHG-1234');
    await page.screenshot({ path: join(ARTEFACTS, 'alerts-home.png'), fullPage: true });

    const { groups } = await (await page.request.get(`${base}/api/v1/alerts`)).json();
    await page.goto(`${base}/alerts/${groups[0].id}`);
    const timeline = await page.textContent('main');
    expect(timeline).toMatch(/acknowledged/i);
    expect(timeline).toContain(`${onCall}@crossdock.demo`);
    await page.screenshot({ path: join(ARTEFACTS, 'alerts-group.png'), fullPage: true });
    await page.goto(`${base}/alerts/mail`);
    await page.click('a:has-text("[FIRING")');
    await expect.poll(() => page.textContent('main')).toMatch(/X-Crossdock-Group/i);
    await page.screenshot({ path: join(ARTEFACTS, 'alerts-mail.png'), fullPage: true });
    await page.close();
  });

  it('offers a viewer no alert actions, and refuses them when forced', async () => {
    const page = await browser.newPage();
    await signInAs(page, base, 'viewer', PASSWORD);
    await page.goto(`${base}/alerts`);
    expect(await page.locator('form[aria-label="Add a silence or maintenance window"]').count()).toBe(0);
    expect(await page.locator('button:has-text("Acknowledge")').count()).toBe(0);
    // With the session's own CSRF token, so the refusal is the role's, not the forgery check's.
    const csrf = await page.inputValue('form[action="/logout"] input[name="csrf"]');
    const refused = await page.request.post(`${base}/api/v1/alerts/silences`, {
      headers: { 'x-csrf-token': csrf },
      data: { matchers: { warehouse: 'wms-rest' }, endsAt: new Date(Date.now() + 3_600_000).toISOString(), reason: 'not mine to silence' },
    });
    expect(refused.status()).toBe(403);
    expect((await refused.json()).message).toMatch(/the viewer role may not do this \(needs respond\)/);
    await page.close();
  });
});
