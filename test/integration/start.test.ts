import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli, startCli, waitForHttp } from '../support/cli';

// `npm start` runs `crossdock start`: the console here, the runtime and simulators as children.
describe('crossdock start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-start-'));
  const adminToken = 'start-test-admin-token-0123456789';
  let ports: Record<string, number>;
  let app: ReturnType<typeof startCli>;

  beforeAll(async () => {
    ports = { console: await freePort(), collector: await freePort(), admin: await freePort(), webhook: await freePort() };
    app = startCli(['start'], {
      CROSSDOCK_DATA_DIR: dataDir,
      CROSSDOCK_CONSOLE_PORT: String(ports.console),
      CROSSDOCK_COLLECTOR_PORT: String(ports.collector),
      CROSSDOCK_ADMIN_PORT: String(ports.admin),
      CROSSDOCK_WEBHOOK_PORT: String(ports.webhook),
      CROSSDOCK_ADMIN_TOKEN: adminToken,
    });
    await waitForHttp(`http://127.0.0.1:${ports.console}/healthz`, 60_000);
    await waitForHttp(`http://127.0.0.1:${ports.admin}/admin/v1/health`, 60_000);
  }, 90_000);
  afterAll(async () => {
    await app?.stop();
  });

  it('serves a healthy console and a runtime whose admin API answers the shared token', async () => {
    expect((await (await fetch(`http://127.0.0.1:${ports.console}/healthz`)).json()).status).toBe('ok');
    const admin = await fetch(`http://127.0.0.1:${ports.admin}/admin/v1/health`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(admin.status).toBe(200);
    expect(app.output.stdout).toContain('Crossdock is running.');
    expect(app.output.stdout).toContain('demo users: support, manager, approver, viewer, admin');
  });

  it('lets the console read the runtime it started', async () => {
    const token = (await runCli(['token', 'create', '--name', 'start-test', '--role', 'viewer'], { CROSSDOCK_DATA_DIR: dataDir })).stdout.trim();
    const partners = await (await fetch(`http://127.0.0.1:${ports.console}/api/v1/partners`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(partners.runtime.reachable).toBe(true);
    expect(partners.runtime.queues.map((q: { serviceClass: string }) => q.serviceClass).sort()).toEqual(['batch', 'realtime', 'standard']);
  });

  it('stops every component on SIGTERM', async () => {
    expect(await app.stop('SIGTERM')).toBe(0);
    expect(app.output.stdout).toContain('stopping (SIGTERM)');
    expect(app.output.stdout).toMatch(/runtime\s+stopping/);
    await expect(fetch(`http://127.0.0.1:${ports.admin}/admin/v1/health`)).rejects.toThrow();
  });
});
