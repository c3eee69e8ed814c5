import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { freePort, runCli, startCli, waitForHttp } from '../support/cli';
import { signIn } from '../support/console-client';
import { stockProvider } from '../support/otel-sdk';

// Runs the built console (`npm test` builds first) as a user would: `crossdock console`.
describe('crossdock console', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-console-'));
  let port: number;
  let collectorPort: number;
  let server: ReturnType<typeof startCli>;
  let token: string;
  const base = () => `http://127.0.0.1:${port}`;

  beforeAll(async () => {
    const env = { CROSSDOCK_DATA_DIR: dataDir, CROSSDOCK_NEW_PASSWORD: 'console-test-password' };
    await runCli(['user', 'add', '--login', 'dana', '--role', 'support'], env);
    port = await freePort();
    collectorPort = await freePort();
    server = startCli(['console'], {
      CROSSDOCK_DATA_DIR: dataDir,
      CROSSDOCK_CONSOLE_PORT: String(port),
      CROSSDOCK_COLLECTOR_PORT: String(collectorPort),
    });
    await waitForHttp(`http://127.0.0.1:${port}/healthz`);
    // Tokens can be created while the console runs.
    token = (await runCli(['token', 'create', '--name', 'e2e', '--role', 'viewer'], { CROSSDOCK_DATA_DIR: dataDir })).stdout.trim();
  });
  const api = (path: string) => fetch(`${base()}${path}`, { headers: { authorization: `Bearer ${token}` } });
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
    expect(health.collector).toMatchObject({ status: 'ok', url: `http://127.0.0.1:${collectorPort}`, lost: 0 });
  });

  it('hosts the collector and serves what it stored on /api/v1/correlations/{id}', async () => {
    const provider = stockProvider(`http://127.0.0.1:${collectorPort}`, 'protobuf', { service: 'crossdock-runtime' });
    const tracer = provider.getTracer('console-e2e');
    const attributes = { 'correlation.id': 'S00077', 'process.name': 'order_fulfillment', 'process.milestone': 'released' };
    const span = tracer.startSpan('release order', { kind: SpanKind.CONSUMER, attributes });
    span.end();
    await provider.shutdown();

    let response: Response | undefined;
    for (let i = 0; i < 100 && response?.status !== 200; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      response = await api('/api/v1/correlations/S00077');
    }
    expect(response!.status).toBe(200);
    const tx = await response!.json();
    expect(tx.correlationId).toBe('S00077');
    expect(tx.spans).toHaveLength(1);
    expect(tx.spans[0]).toMatchObject({ name: 'release order', service: 'crossdock-runtime', spanId: span.spanContext().spanId });
    expect(tx.milestones).toEqual([expect.objectContaining({ process: 'order_fulfillment', milestone: 'released' })]);
  });

  it('answers 404 for an unknown correlation id and 400 for a malformed one', async () => {
    const missing = await api('/api/v1/correlations/S99999');
    expect(missing.status).toBe(404);
    expect((await missing.json()).message).toBe('no spans recorded for correlation id S99999');
    const malformed = await api(`/api/v1/correlations/${'x'.repeat(200)}`);
    expect(malformed.status).toBe(400);
  });

  it('sends anonymous people to sign in and refuses anonymous API calls', async () => {
    const page = await fetch(`${base()}/processes?state=breached`, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fprocesses%3Fstate%3Dbreached');
    const apiCall = await fetch(`${base()}/api/v1/transactions`);
    expect(apiCall.status).toBe(401);
    expect((await fetch(`${base()}/api/v1/transactions`, { headers: { authorization: 'Bearer cdk_forged' } })).status).toBe(401);
  });

  it('signs people in with a fresh HttpOnly session and shows what is running', async () => {
    const wrong = await signIn(base(), 'dana', 'not the password');
    expect(wrong.status).toBe(400);
    expect(wrong.cookie).toBeUndefined();
    const session = await signIn(base(), 'dana', 'console-test-password');
    expect(session.status).toBe(303);
    expect(session.cookie).toMatch(/^crossdock_session=/);
    const system = await fetch(`${base()}/system`, { headers: { cookie: session.cookie! } });
    expect(system.status).toBe(200);
    const html = await system.text();
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
