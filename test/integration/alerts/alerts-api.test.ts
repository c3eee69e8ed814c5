import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli, startCli, waitForHttp } from '../../support/cli';
import { stockProvider } from '../../support/otel-sdk';
import { eventually } from '../../support/runtime-parts';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink';

// Alerting on the built console (`npm test` builds first): a partner's failing calls arrive over
// OTLP, the rule an admin set fires, the on-call gets an email whose signed link acknowledges the
// incident without signing in; rules, schedules and silences by role over the JSON API.
describe('alerting API and email', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-alerts-api-'));
  let base: string;
  let collector: string;
  let server: ReturnType<typeof startCli>;
  let smtp: SmtpSink;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    smtp = await startSmtpSink();
    const [port, collectorPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${port}`;
    collector = `http://127.0.0.1:${collectorPort}`;
    const env = { CROSSDOCK_DATA_DIR: dataDir };
    for (const [login, role] of [['ada', 'support'], ['cleo', 'manager']])
      await runCli(['user', 'add', '--login', login, '--role', role, '--email', `${login}@example.test`], { ...env, CROSSDOCK_NEW_PASSWORD: `${login}-password-long` });
    server = startCli(['console'], {
      ...env,
      CROSSDOCK_CONSOLE_PORT: String(port),
      CROSSDOCK_COLLECTOR_PORT: String(collectorPort),
      CROSSDOCK_ALERT_EVAL_MS: '300',
      CROSSDOCK_PUBLIC_URL: base,
      SMTP_URL: smtp.url,
    });
    await waitForHttp(`${base}/healthz`);
    for (const role of ['viewer', 'support', 'manager', 'admin'])
      tokens[role] = (await runCli(['token', 'create', '--name', `alerts-${role}`, '--role', role], env)).stdout.trim();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await smtp?.close();
  });

  const call = (role: string, path: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${tokens[role]}`, 'content-type': 'application/json', ...init.headers } });
  const send = (role: string, method: string, path: string, body: unknown = {}) => call(role, path, { method, body: JSON.stringify(body) });

  it('ships the default rules and a schedule over the people who have an address', async () => {
    expect((await fetch(`${base}/api/v1/alerts/rules`)).status).toBe(401);
    const { rules } = await (await call('viewer', '/api/v1/alerts/rules')).json();
    expect(rules.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining(['partner-down', 'stuck-orders', 'sla-burn', 'telemetry-silent']));
    const { schedules } = await (await call('viewer', '/api/v1/alerts/oncall')).json();
    expect(schedules).toEqual([expect.objectContaining({ id: 'primary', participants: ['ada'], onCall: expect.objectContaining({ login: 'ada' }) })]);
  });

  it('lets only admins change rules, with precise refusals', async () => {
    const partner = { name: 'WMS failing', enabled: true, severity: 'critical', condition: { kind: 'partner_health', circuitOpen: true, errorRatePercent: 50, windowMinutes: 5, minCalls: 10 }, forMinutes: 0, keepFiringMinutes: 0, repeatMinutes: 0 };
    expect((await send('support', 'PUT', '/api/v1/alerts/rules/partner-down', partner)).status).toBe(403);
    const bad = await send('admin', 'PUT', '/api/v1/alerts/rules/partner-down', { ...partner, condition: { ...partner.condition, errorRatePercent: 150 } });
    expect(bad.status).toBe(422);
    expect((await bad.json()).message).toMatch(/condition\.errorRatePercent: must be 0 to 100/);
    const saved = await send('admin', 'PUT', '/api/v1/alerts/rules/partner-down', partner);
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ id: 'partner-down', isDefault: false, updatedBy: 'token:alerts-admin' });
    // The rest stay quiet for this test.
    for (const id of ['telemetry-silent', 'stuck-orders', 'sla-burn', 'sla-attainment'])
      expect((await send('admin', 'PUT', `/api/v1/alerts/rules/${id}`, { ...(await (await call('admin', `/api/v1/alerts/rules/${id}`)).json()), updatedBy: undefined, updatedAt: undefined, isDefault: undefined, enabled: false })).status).toBe(200);
  });

  it('emails the on-call when a partner fails, and the signed link acknowledges without signing in', async () => {
    const provider = stockProvider(collector, 'protobuf', { service: 'crossdock-runtime' });
    const tracer = provider.getTracer('alerts-api');
    for (let i = 0; i < 12; i++) {
      const span = tracer.startSpan('POST /orders', { kind: SpanKind.CLIENT, attributes: { 'correlation.id': `S0500${i}`, 'crossdock.endpoint.id': 'wms-rest', 'http.response.status_code': 503 } });
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'Service Unavailable' });
      span.end();
    }
    await provider.shutdown();

    const [mail] = await smtp.waitFor(1, 30_000);
    expect(mail.to).toEqual(['ada@example.test']);
    expect(mail.mail.subject).toMatch(/^\[FIRING · CRITICAL\] wms-rest/);
    expect(mail.mail.text).toMatch(/100% of 12 calls failed/);
    const link = /http:\/\/127\.0\.0\.1:\d+\/ack\/[A-Za-z0-9_.-]+/.exec(mail.mail.text ?? '')?.[0];
    expect(link).toBeDefined();

    // Opening the link does not acknowledge (mail scanners open links); the button does.
    const page = await fetch(link!);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/Acknowledge as ada/);
    const { groups } = await (await call('viewer', '/api/v1/alerts')).json();
    expect(groups[0]).toMatchObject({ acknowledgedBy: null, groupKey: 'warehouse=wms-rest' });

    const tampered = await fetch(link!.slice(0, -3) + (link!.endsWith('AAA') ? 'BBB' : 'AAA'));
    expect(tampered.status).toBeGreaterThanOrEqual(400);
    const acknowledged = await fetch(link!, { method: 'POST', headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(acknowledged.status).toBeLessThan(400);
    const group = await (await call('viewer', `/api/v1/alerts/groups/${groups[0].id}`)).json();
    expect(group.group).toMatchObject({ acknowledgedBy: 'ada' });
    expect(group.history.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['firing', 'notified', 'sent', 'acknowledged'].slice(0, 3)));
    const audit = await (await call('admin', '/api/v1/audit?action=alert.acknowledged')).json();
    expect(audit.items[0]).toMatchObject({ actor: 'ada', detail: { via: 'email link' } });
    expect((await send('support', 'POST', `/api/v1/alerts/groups/${groups[0].id}/acknowledge`)).status).toBe(409);

    // Disabling the rule resolves its alert: the resolution goes to whoever was told.
    const rule = await (await call('admin', '/api/v1/alerts/rules/partner-down')).json();
    await send('admin', 'PUT', '/api/v1/alerts/rules/partner-down', { ...rule, updatedBy: undefined, updatedAt: undefined, isDefault: undefined, enabled: false });
    const [, resolved] = await smtp.waitFor(2, 30_000);
    expect(resolved.mail.subject).toMatch(/^\[RESOLVED\] wms-rest/);
  });

  it('lets responders silence and refuses viewers, recording who and why', async () => {
    const silence = { kind: 'maintenance', matchers: { warehouse: 'wms-batch' }, endsAt: new Date(Date.now() + 3_600_000).toISOString(), reason: 'SFTP host patching' };
    expect((await send('viewer', 'POST', '/api/v1/alerts/silences', silence)).status).toBe(403);
    expect((await send('support', 'POST', '/api/v1/alerts/silences', { ...silence, matchers: {} })).status).toBe(422);
    const created = await send('support', 'POST', '/api/v1/alerts/silences', silence);
    expect(created.status).toBe(201);
    const { id } = await created.json();
    const { current } = await (await call('viewer', '/api/v1/alerts/silences')).json();
    expect(current[0]).toMatchObject({ id, author: 'token:alerts-support', reason: 'SFTP host patching', kind: 'maintenance' });
    expect((await send('manager', 'POST', `/api/v1/alerts/silences/${id}/expire`)).status).toBe(200);
    expect((await send('manager', 'POST', `/api/v1/alerts/silences/${id}/expire`)).status).toBe(409);
    const history = await eventually(async () => {
      const body = await (await call('viewer', '/api/v1/alerts/history?kind=sent')).json();
      return body.total >= 2 ? body : undefined;
    }, 10_000);
    expect(history.items[0].detail).toMatchObject({ to: 'ada@example.test', kind: 'resolved' });
  });
});
