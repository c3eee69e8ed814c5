import { SpanStatusCode } from '@opentelemetry/api';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli, startCli, waitForHttp } from '../../support/cli';
import { signIn } from '../../support/console-client';
import { stockProvider } from '../../support/otel-sdk';
import { eventually } from '../../support/runtime-parts';

// The exception queue's JSON API on the built console (`npm test` builds first): spans in over
// OTLP, incidents out, triage by role, every step in the audit log.
describe('exceptions API', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-exceptions-api-'));
  let base: string;
  let server: ReturnType<typeof startCli>;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    const [port, collectorPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${port}`;
    server = startCli(['console'], { CROSSDOCK_DATA_DIR: dataDir, CROSSDOCK_CONSOLE_PORT: String(port), CROSSDOCK_COLLECTOR_PORT: String(collectorPort), CROSSDOCK_EXCEPTION_INTAKE_MS: '300' });
    await waitForHttp(`${base}/healthz`);
    for (const role of ['viewer', 'support', 'manager', 'approver', 'admin'])
      tokens[role] = (await runCli(['token', 'create', '--name', `api-${role}`, '--role', role], { CROSSDOCK_DATA_DIR: dataDir })).stdout.trim();
    await runCli(['user', 'add', '--login', 'sam', '--role', 'support'], { CROSSDOCK_DATA_DIR: dataDir, CROSSDOCK_NEW_PASSWORD: 'sam-the-support-person' });

    // Three orders whose calls to the 3PL failed the same way, as the runtime's SDK sends them.
    const provider = stockProvider(`http://127.0.0.1:${collectorPort}`, 'protobuf', { service: 'crossdock-runtime' });
    const tracer = provider.getTracer('exceptions-api');
    for (const order of ['S04001', 'S04002', 'S04003']) {
      const span = tracer.startSpan('PUT /orders', { attributes: { 'correlation.id': order, 'crossdock.endpoint.id': 'edi-3pl', 'crossdock.exception.category': 'partner_unavailable', 'http.response.status_code': 502 } });
      span.recordException(new Error(`PUT /orders answered 502 Bad Gateway for ${order}`));
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'Bad Gateway' });
      span.end();
    }
    await provider.shutdown();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  const call = (role: string, path: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${tokens[role]}`, 'content-type': 'application/json', ...init.headers } });
  const post = (role: string, path: string, body: unknown = {}) => call(role, path, { method: 'POST', body: JSON.stringify(body) });

  let incidentId: number;

  it('lists the outage as one incident with its occurrences and classification, to any role', async () => {
    expect((await fetch(`${base}/api/v1/exceptions`)).status).toBe(401);
    const listed = await eventually(async () => {
      const body = await (await call('viewer', '/api/v1/exceptions?partner=edi-3pl')).json();
      return body.items?.[0]?.classification ? body : undefined;
    }, 30_000);
    expect(listed.total).toBe(1);
    const incident = listed.items[0];
    incidentId = incident.id;
    expect(incident).toMatchObject({ category: 'partner_unavailable', partner: 'edi-3pl', operation: 'PUT /orders', members: 3, ordersAffected: 3, status: 'open' });
    expect(incident.classification).toMatchObject({ category: 'partner_unavailable', engine: 'offline' });
    const detail = await (await call('viewer', `/api/v1/exceptions/${incidentId}`)).json();
    expect(detail.members.map((m: { correlationId: string }) => m.correlationId).sort()).toEqual(['S04001', 'S04002', 'S04003']);
    expect(detail.members[0]).toMatchObject({ source: 'partner_call', httpStatus: 502, open: true });
    expect((await call('viewer', '/api/v1/exceptions?status=nonsense')).status).toBe(400);
    await expect((await call('viewer', '/api/v1/exceptions?q=S04002')).json()).resolves.toMatchObject({ total: 1 });
    expect((await call('viewer', '/api/v1/exceptions/999999')).status).toBe(404);
  });

  it('lets support triage and refuses roles without triage', async () => {
    expect((await post('viewer', `/api/v1/exceptions/${incidentId}/acknowledge`)).status).toBe(403);
    expect((await post('manager', `/api/v1/exceptions/${incidentId}/assign`)).status).toBe(403);
    const acknowledged = await post('support', `/api/v1/exceptions/${incidentId}/acknowledge`);
    expect(acknowledged.status).toBe(200);
    expect(await acknowledged.json()).toMatchObject({ status: 'acknowledged', assignee: 'token:api-support' });
    expect((await post('support', `/api/v1/exceptions/${incidentId}/acknowledge`)).status).toBe(409);
    const noNote = await post('support', `/api/v1/exceptions/${incidentId}/resolve`, {});
    expect(noNote.status).toBe(422);
    expect((await noNote.json()).message).toMatch(/needs a note/);
    const corrected = await post('support', `/api/v1/exceptions/${incidentId}/classification`, { category: 'partner_unavailable', action: 'escalate_partner' });
    expect(await corrected.json()).toMatchObject({ confirmed: { category: 'partner_unavailable', action: 'escalate_partner', by: 'token:api-support' } });
    expect((await post('support', `/api/v1/exceptions/${incidentId}/classification`, { category: 'bogus', action: 'replay' })).status).toBe(422);
    expect((await post('support', `/api/v1/exceptions/${incidentId}/explode`)).status).toBe(404);
  });

  it('refuses a replay when there is nothing to replay, takes a recommendation, and keeps four eyes', async () => {
    const replay = await post('support', '/api/v1/proposals', { incidentId, action: 'replay' });
    expect(replay.status).toBe(422);
    expect((await replay.json()).message).toMatch(/no open dead letters/);
    const created = await post('support', '/api/v1/proposals', { incidentId, action: 'escalate_partner', params: { reason: 'the 3PL answers 502 since 09:00' } });
    expect(created.status).toBe(201);
    const proposal = await created.json();
    expect(proposal).toMatchObject({ origin: 'user', status: 'proposed', executable: false, proposedBy: 'token:api-support' });
    expect(proposal.targets.map((t: { correlationId: string }) => t.correlationId).sort()).toEqual(['S04001', 'S04002', 'S04003']);
    expect((await post('support', `/api/v1/proposals/${proposal.id}/approve`)).status).toBe(403);
    const approved = await post('admin', `/api/v1/proposals/${proposal.id}/approve`, { note: 'call them' });
    expect(await approved.json()).toMatchObject({ status: 'approved', decidedBy: 'token:api-admin' });
    expect((await post('admin', `/api/v1/proposals/${proposal.id}/approve`)).status).toBe(409);
  });

  it('makes whoever edits a proposal one of its proposers', async () => {
    const created = await (await post('support', '/api/v1/proposals', { incidentId, action: 'manual_review', params: { reason: 'look at the 3PL gateway' } })).json();
    const edited = await post('admin', `/api/v1/proposals/${created.id}/edit`, { params: { reason: 'check the 3PL gateway logs first' } });
    expect(await edited.json()).toMatchObject({ params: { reason: 'check the 3PL gateway logs first' }, participants: ['token:api-support', 'token:api-admin'] });
    expect((await post('admin', `/api/v1/proposals/${created.id}/approve`)).status).toBe(403);
    expect((await post('approver', `/api/v1/proposals/${created.id}/reject`, {})).status).toBe(422);
    expect(await (await post('approver', `/api/v1/proposals/${created.id}/reject`, { note: 'already escalated' })).json()).toMatchObject({ status: 'rejected', decidedBy: 'token:api-approver' });
    expect((await post('support', `/api/v1/proposals/${created.id}/edit`, { params: {} })).status).toBe(409);
  });

  it('needs the CSRF token for cookie-authenticated writes', async () => {
    const session = await signIn(base, 'sam', 'sam-the-support-person');
    const headers = { cookie: session.cookie!, 'content-type': 'application/json' };
    expect((await fetch(`${base}/api/v1/exceptions/${incidentId}/assign`, { method: 'POST', headers, body: '{}' })).status).toBe(403);
  });

  it('resolves with a note and shows every step in the audit log, which verifies', async () => {
    const resolved = await post('support', `/api/v1/exceptions/${incidentId}/resolve`, { note: '3PL fixed their gateway' });
    expect(await resolved.json()).toMatchObject({ status: 'resolved', resolutionNote: '3PL fixed their gateway' });
    expect((await call('support', '/api/v1/audit')).status).toBe(403);
    const audit = await (await call('manager', `/api/v1/audit?subject=incident:${incidentId}`)).json();
    expect(audit.items.map((e: { action: string }) => e.action).reverse()).toEqual(['incident.acknowledged', 'classification.corrected', 'incident.resolved']);
    const all = await (await call('admin', '/api/v1/audit?limit=1000')).json();
    const actions = all.items.map((e: { action: string; actor: string; subject: string }) => `${e.action} ${e.subject}`);
    expect(actions).toEqual(expect.arrayContaining(['token.created token:api-viewer', 'user.added user:sam', 'session.signed_in user:sam', 'proposal.created ' + all.items.find((e: { action: string }) => e.action === 'proposal.created').subject]));
    const csv = await call('admin', '/audit/export.csv?action=incident');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect((await csv.text()).split('\r\n').filter(Boolean)).toHaveLength(1 + 2);
    const verified = await runCli(['audit', 'verify'], { CROSSDOCK_DATA_DIR: dataDir });
    expect(verified).toMatchObject({ code: 0 });
  });
});
