import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/lib/integration/errors';
import { startRuntime, type Runtime } from '../../../src/lib/integration/runtime';
import { anEnvelope } from '../../factories/envelopes';
import { freePort, runCli, startCli, waitForHttp } from '../../support/cli';
import { eventually } from '../../support/runtime-parts';

const token = 'test-admin-token-0123456789';
let runtime: Runtime;
let dir: string;
let handled = 0;
let fail = true;

async function call(path: string, init: RequestInit & { auth?: string | null } = {}) {
  const headers = new Headers(init.headers);
  if (init.auth !== null) headers.set('authorization', `Bearer ${init.auth ?? token}`);
  const response = await fetch(`${runtime.admin.url}${path}`, { ...init, headers });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads arbitrary JSON paths
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}
const post = (path: string, body: unknown, key?: string) =>
  call(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crossdock-admin-'));
  runtime = await startRuntime({
    config: { host: '127.0.0.1', adminPort: 0, natsUrl: undefined, adminToken: token, idempotencyWindowMs: 60_000 },
    dataDir: dir,
    routes: [{ topic: 'order-release', handle: async () => { if (fail) throw new ValidationError('bad sku'); handled += 1; } }],
    endpoints: { 'wms-rest': {} },
    graceMs: 500,
  });
});
afterAll(async () => {
  await runtime.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('admin API', () => {
  it('refuses a missing or wrong bearer token with 401', async () => {
    expect((await call('/admin/v1/health', { auth: null })).status).toBe(401);
    expect((await call('/admin/v1/health', { auth: 'not-the-token-at-all' })).status).toBe(401);
    const ok = await call('/admin/v1/health');
    expect(ok).toMatchObject({ status: 200, body: { status: 'ok', bus: 'sqlite', endpoints: [{ id: 'wms-rest', paused: false, circuit: 'closed' }] } });
  });

  it('lists, shows, replays once per Idempotency-Key, and refuses a second action', async () => {
    const envelope = anEnvelope({ serviceclass: 'realtime', correlationid: 'S00077' });
    await runtime.bus.publish('order-release', envelope);
    const listed = await eventually(async () => {
      const r = await call('/admin/v1/dead-letters?status=open&correlationId=S00077');
      return r.body.deadLetters?.length === 1 && r;
    });
    const id = listed.body.deadLetters[0].id;
    expect((await call('/admin/v1/dead-letters?category=nonsense')).status).toBe(400);
    expect((await call('/admin/v1/dead-letters/not-a-uuid')).status).toBe(400);
    expect((await call('/admin/v1/dead-letters/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await call(`/admin/v1/dead-letters/${id}`)).body.deadLetter).toMatchObject({ envelope, category: 'validation_error' });

    expect((await post(`/admin/v1/dead-letters/${id}/replay`, {})).status).toBe(400);
    fail = false;
    const first = await post(`/admin/v1/dead-letters/${id}/replay`, { actor: 'approver' }, 'approval-0001');
    const repeat = await post(`/admin/v1/dead-letters/${id}/replay`, { actor: 'approver' }, 'approval-0001');
    expect(first).toMatchObject({ status: 200, body: { outcome: 'done' } });
    expect(repeat).toMatchObject({ status: 200, body: { outcome: 'repeated', action: { id: first.body.action.id } } });
    await eventually(() => handled === 1);
    expect((await post(`/admin/v1/dead-letters/${id}/discard`, { reason: 'late' }, 'approval-0002')).status).toBe(409);
    expect((await post(`/admin/v1/dead-letters/${id}/discard`, { reason: 'late' }, 'approval-0001')).status).toBe(422);
    expect((await call(`/admin/v1/dead-letters/${id}`)).body.actions).toHaveLength(1);
  });

  it('needs a reason to discard', async () => {
    fail = true;
    await runtime.bus.publish('order-release', anEnvelope({ correlationid: 'S00078' }));
    const listed = await eventually(async () => {
      const r = await call('/admin/v1/dead-letters?correlationId=S00078');
      return r.body.deadLetters?.length === 1 && r;
    });
    const id = listed.body.deadLetters[0].id;
    const missing = await post(`/admin/v1/dead-letters/${id}/discard`, {}, 'discard-0001');
    expect(missing).toMatchObject({ status: 422, body: { issues: [{ path: 'body.reason', message: 'reason is required' }] } });
    expect((await post(`/admin/v1/dead-letters/${id}/discard`, { reason: 'duplicate of S00042' }, 'discard-0001')).status).toBe(200);
  });

  it('pauses and resumes a known endpoint, and reports queues per class', async () => {
    expect((await post('/admin/v1/endpoints/wms-rest/pause', {})).body).toEqual({ id: 'wms-rest', paused: true, circuit: 'closed' });
    expect((await post('/admin/v1/endpoints/wms-rest/resume', {})).body.paused).toBe(false);
    expect((await post('/admin/v1/endpoints/nobody/pause', {})).status).toBe(404);
    expect((await call('/admin/v1/endpoints/wms-rest/pause')).status).toBe(405);
    const queues = await call('/admin/v1/queues');
    expect(queues.body.queues.map((q: { serviceClass: string }) => q.serviceClass)).toEqual(['realtime', 'standard', 'batch']);
  });
});

describe('crossdock runtime', () => {
  it('serves the admin API, refuses everything without a token, and stops cleanly on SIGTERM', async () => {
    const data = mkdtempSync(join(tmpdir(), 'crossdock-rt-'));
    const port = await freePort();
    // Partners' secrets are required (nothing listens for them here: the polls just fail and are logged).
    const env = {
      CROSSDOCK_DATA_DIR: data,
      CROSSDOCK_ADMIN_PORT: String(port),
      CROSSDOCK_WEBHOOK_PORT: String(await freePort()),
      CROSSDOCK_COLLECTOR_PORT: String(await freePort()),
      // Every partner on a port nothing listens on: another suite's simulators may hold the default ones.
      ODOO_URL: `http://127.0.0.1:${await freePort()}`,
      WMS_REST_URL: `http://127.0.0.1:${await freePort()}`,
      WMS_BATCH_SFTP_URL: `sftp://crossdock@127.0.0.1:${await freePort()}`,
      EDI_3PL_SFTP_URL: `sftp://crossdock@127.0.0.1:${await freePort()}`,
      ODOO_API_KEY: 'odoo-test-key',
      WMS_REST_API_KEY: 'wms-test-key',
      WMS_REST_WEBHOOK_SECRET: `whsec_${Buffer.from('a-test-secret-of-24-bytes').toString('base64')}`,
      WMS_BATCH_SFTP_PASSWORD: 'pw',
      EDI_3PL_SFTP_PASSWORD: 'pw',
    };
    const secured = startCli(['runtime'], { ...env, CROSSDOCK_ADMIN_TOKEN: token });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/admin/v1/health`);
      const health = await fetch(`http://127.0.0.1:${port}/admin/v1/health`, { headers: { authorization: `Bearer ${token}` } });
      expect(await health.json()).toMatchObject({ status: 'ok', bus: 'sqlite' });
    } finally {
      expect(await secured.stop()).toBe(0);
    }
    expect(secured.output.stdout).toContain('stopping (SIGTERM)');
    const open = startCli(['runtime'], env);
    try {
      const response = await waitForHttp(`http://127.0.0.1:${port}/admin/v1/queues`);
      expect(response.status).toBe(503);
    } finally {
      await open.stop();
      rmSync(data, { recursive: true, force: true });
    }
    expect((await runCli(['runtime'], { CROSSDOCK_ADMIN_TOKEN: 'short' })).stderr).toContain('CROSSDOCK_ADMIN_TOKEN');
    const { ODOO_API_KEY: _key, ...withoutOdooKey } = env;
    expect((await runCli(['runtime'], withoutOdooKey)).stderr).toContain('ODOO_API_KEY is not set');
  });
});
