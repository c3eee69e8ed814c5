import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { freePort, runCli, startCli, waitForHttp } from '../support/cli';
import { stockProvider } from '../support/otel-sdk';

// Runs the built console (`npm test` builds first) as a user would: `crossdock console`.
describe('crossdock console', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-console-'));
  let port: number;
  let collectorPort: number;
  let server: ReturnType<typeof startCli>;

  beforeAll(async () => {
    port = await freePort();
    collectorPort = await freePort();
    server = startCli(['console'], {
      CROSSDOCK_DATA_DIR: dataDir,
      CROSSDOCK_CONSOLE_PORT: String(port),
      CROSSDOCK_COLLECTOR_PORT: String(collectorPort),
    });
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
      response = await fetch(`http://127.0.0.1:${port}/api/v1/correlations/S00077`);
    }
    expect(response!.status).toBe(200);
    const tx = await response!.json();
    expect(tx.correlationId).toBe('S00077');
    expect(tx.spans).toHaveLength(1);
    expect(tx.spans[0]).toMatchObject({ name: 'release order', service: 'crossdock-runtime', spanId: span.spanContext().spanId });
    expect(tx.milestones).toEqual([expect.objectContaining({ process: 'order_fulfillment', milestone: 'released' })]);
  });

  it('answers 404 for an unknown correlation id and 400 for a malformed one', async () => {
    const missing = await fetch(`http://127.0.0.1:${port}/api/v1/correlations/S99999`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).message).toBe('no spans recorded for correlation id S99999');
    const malformed = await fetch(`http://127.0.0.1:${port}/api/v1/correlations/${'x'.repeat(200)}`);
    expect(malformed.status).toBe(400);
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
