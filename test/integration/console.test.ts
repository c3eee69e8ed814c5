import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli, startCli, waitForHttp } from '../support/cli';

// Runs the built console (`npm test` builds first) as a user would: `crossdock console`.
describe('crossdock console', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-console-'));
  let port: number;
  let server: ReturnType<typeof startCli>;

  beforeAll(async () => {
    port = await freePort();
    server = startCli(['console'], { CROSSDOCK_DATA_DIR: dataDir, CROSSDOCK_CONSOLE_PORT: String(port) });
    await waitForHttp(`http://127.0.0.1:${port}/healthz`);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reports ClickHouse ok with migrations applied on /healthz', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const health = await response.json();
    expect(health.status).toBe('ok');
    expect(health.clickhouse).toMatchObject({ status: 'ok', engine: 'embedded', database: 'crossdock' });
    expect(health.clickhouse.version).toMatch(/^\d+\.\d+/);
    expect(health.clickhouse.location).toBe(join(dataDir, 'clickhouse'));
    expect(health.migrations.status).toBe('ok');
    expect(health.migrations.applied).toBeGreaterThan(0);
    expect(health.migrations.pending).toEqual([]);
  });

  it('serves a landing page that says what is running', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/<h1[^>]*>Crossdock<\/h1>/);
    expect(html).toContain('embedded chDB');
    expect(html).toMatch(/\d+ applied/);
  });

  it('refuses a second console on the same data directory with a clear reason', async () => {
    const { code, stderr } = await runCli(['console'], {
      CROSSDOCK_DATA_DIR: dataDir,
      CROSSDOCK_CONSOLE_PORT: String(await freePort()),
    });
    expect(code).toBe(1);
    expect(stderr).toContain('in use by another process (is the console already running?)');
  });

  it('stops gracefully on SIGTERM', async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(server.output.stdout).toContain(`console   listening on http://127.0.0.1:${port}`);
    expect(server.output.stdout).toContain('console   stopping (SIGTERM)');
  });
});
