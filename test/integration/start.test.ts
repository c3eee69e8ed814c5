import { mkdtempSync, readFileSync, statSync } from 'node:fs';
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
    // Fast enough that the first incident (demo minute 20) comes within seconds.
    app = startCli(['start', '--speed', '600'], {
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

  it('plays the demo world: orders in Odoo, an incident, a mail catcher, and secrets shared with the simulators', async () => {
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline && !app.output.stdout.includes('unknown SKU: Odoo has a new product')) await new Promise((r) => setTimeout(r, 250));
    expect(app.output.stdout).toMatch(/traffic\s+\[day 1 08:20\] unknown SKU: Odoo has a new product ACM-9\d{3}/);
    const odoo = (await (await fetch('http://127.0.0.1:8069/_sim/state')).json()) as { counters: { ordersConfirmed: number } };
    expect(odoo.counters.ordersConfirmed).toBeGreaterThan(0);

    expect(app.output.stdout).toContain('mail         alert email is caught at smtp://127.0.0.1:2525');
    expect(((await (await fetch('http://127.0.0.1:9104/_sim/state')).json()) as { messages: number }).messages).toBe(0);

    const secretsFile = join(dataDir, 'demo-secrets.json');
    expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
    const secrets = JSON.parse(readFileSync(secretsFile, 'utf8')) as Record<string, string>;
    expect(Object.keys(secrets).sort()).toEqual(['CROSSDOCK_ALERT_LINK_SECRET', 'EDI_3PL_SFTP_PASSWORD', 'ODOO_API_KEY', 'WMS_BATCH_SFTP_PASSWORD', 'WMS_REST_API_KEY', 'WMS_REST_WEBHOOK_SECRET']);
    // The simulators took the shared secrets from the environment the runtime reads too.
    expect(app.output.stdout).toContain(`API key ${secrets.WMS_REST_API_KEY} (from WMS_REST_API_KEY)`);
    expect(app.output.stdout).toContain(`API key ${secrets.ODOO_API_KEY} (from ODOO_API_KEY)`);
    expect(app.output.stdout).toContain(`password ${secrets.EDI_3PL_SFTP_PASSWORD} (from EDI_3PL_SFTP_PASSWORD)`);
  });

  it('moves the demo orders through the runtime to the warehouses', async () => {
    // The first order the traffic generator created in Odoo reaches a warehouse over the real protocols.
    const admin = { authorization: `Bearer ${adminToken}` };
    const deadline = Date.now() + 45_000;
    type Assignment = { warehouseId: string; status: string };
    const read = async (): Promise<Assignment | null> => {
      const response = await fetch(`http://127.0.0.1:${ports.admin}/admin/v1/transactions/S00001`, { headers: admin });
      return response.ok ? ((await response.json()) as { order: Assignment | null }).order : null;
    };
    let order = await read();
    while (Date.now() < deadline && (!order || order.status === 'routed')) {
      await new Promise((r) => setTimeout(r, 250));
      order = await read();
    }
    expect(order).toMatchObject({ warehouseId: expect.stringMatching(/^(wms-rest|wms-batch|edi-3pl)$/) });
    expect(order?.status).not.toBe('routed');
  }, 60_000);

  it('stops every component on SIGTERM', async () => {
    expect(await app.stop('SIGTERM')).toBe(0);
    expect(app.output.stdout).toContain('stopping (SIGTERM)');
    expect(app.output.stdout).toMatch(/runtime\s+stopping/);
    expect(app.output.stdout).toMatch(/traffic\s+\[day \d+ \d\d:\d\d\] stopped/);
    expect(app.output.stdout).toMatch(/smtp\s+simulate\s+stopping/);
    await expect(fetch(`http://127.0.0.1:${ports.admin}/admin/v1/health`)).rejects.toThrow();
  });
});
