import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTEFACTS, launchBrowser, signInAs } from '../support/browser';
import { freePort, startCli, waitForHttp } from '../support/cli';
import { stockProvider } from '../support/otel-sdk';

// Demo mode seeds one user per role with this password.
const PASSWORD = 'crossdock-demo';

describe('console journeys in Chromium', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-e2e-'));
  let base: string;
  let server: ReturnType<typeof startCli>;
  let browser: Browser;

  beforeAll(async () => {
    const [port, collectorPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${port}`;
    server = startCli(['console'], { CROSSDOCK_DATA_DIR: dataDir, CROSSDOCK_CONSOLE_PORT: String(port), CROSSDOCK_COLLECTOR_PORT: String(collectorPort), CROSSDOCK_DEMO: 'true' });
    await waitForHttp(`${base}/healthz`);
    await recordStories(`http://127.0.0.1:${collectorPort}`);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('support finds a stuck order from the overview and sees the failing partner call', { timeout: 150_000 }, async () => {
    const page = await browser.newPage();
    await signInAs(page, base, 'support', PASSWORD);
    // The spans reach ClickHouse within the collector's flush interval, the facts refresher within
    // 2 s, and the shared overview snapshot within 5 s; the live stream then shows them. On two
    // busy cores (the whole suite running) that can take a while.
    await page.getByRole('link', { name: 'S-E2E-STUCK' }).first().waitFor({ timeout: 90_000 });
    await page.screenshot({ path: join(ARTEFACTS, 'overview.png'), fullPage: true });
    await page.getByRole('link', { name: 'S-E2E-STUCK' }).first().click();
    await page.waitForURL(/\/transactions\/S-E2E-STUCK$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('S-E2E-STUCK');
    await page.getByText('breached').first().waitFor();
    const call = page.getByRole('button', { name: /POST \/orders/ });
    await call.click();
    await page.getByText('HTTP 503 from wms-rest').waitFor();
    await page.screenshot({ path: join(ARTEFACTS, 'transaction.png'), fullPage: true });
    await page.close();
  });

  it('a manager opens the SLA report and exports it as CSV', { timeout: 90_000 }, async () => {
    const page = await browser.newPage();
    await signInAs(page, base, 'manager', PASSWORD);
    await page.getByRole('link', { name: 'SLA reports' }).click();
    await page.waitForURL(/\/sla/);
    // The report reads what the facts refresher has seen; reload until the finished order is in.
    const step = page.getByRole('cell', { name: 'released→acknowledged' }).first();
    for (let i = 0; i < 60 && (await step.count()) === 0; i++) {
      await new Promise((r) => setTimeout(r, 1_000));
      await page.reload();
    }
    await step.waitFor();
    await page.screenshot({ path: join(ARTEFACTS, 'sla.png'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('process,step,warehouse,serviceClass,targetMs,judged,met,late,breached,open,attainment,p50Ms,p95Ms,p99Ms');
    expect(csv).toContain('order_fulfillment,released→acknowledged,wms-rest,realtime,120000');
    await page.close();
  });

  it('a viewer is refused what their role may not do', { timeout: 90_000 }, async () => {
    const page = await browser.newPage();
    await signInAs(page, base, 'viewer', PASSWORD);
    expect(await page.getByRole('link', { name: 'SLA reports' }).count()).toBe(0);
    const response = await page.goto(`${base}/sla`);
    expect(response?.status()).toBe(403);
    await page.getByText('the viewer role may not do this').waitFor();
    await page.goto(`${base}/processes`);
    await page.getByRole('heading', { name: 'Processes' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await page.close();
  });

  it('kept serving through every journey (live streams closed by navigation included)', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  });
});

/** One order stuck 10 minutes after release with a failing partner call, and one completed order. */
async function recordStories(collectorUrl: string) {
  const provider = stockProvider(collectorUrl, 'protobuf', { service: 'crossdock-runtime' });
  const tracer = provider.getTracer('e2e');
  const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
  const attrs = (id: string) => ({ 'correlation.id': id, 'process.name': 'order_fulfillment', 'service.class': 'realtime', 'warehouse.id': 'wms-rest' });

  const released = tracer.startSpan('process crossdock.order.released.v1', { kind: SpanKind.CONSUMER, startTime: ago(10), attributes: { ...attrs('S-E2E-STUCK'), 'process.milestone': 'released' } });
  released.end(ago(10));
  const deliver = tracer.startSpan('deliver wms-rest', { kind: SpanKind.CONSUMER, startTime: ago(9), attributes: attrs('S-E2E-STUCK') });
  const call = tracer.startSpan('POST /orders', { kind: SpanKind.CLIENT, startTime: ago(9), attributes: { 'crossdock.endpoint.id': 'wms-rest', 'http.request.method': 'POST', 'http.response.status_code': 503 } }, trace.setSpan(context.active(), deliver));
  call.setStatus({ code: SpanStatusCode.ERROR, message: 'HTTP 503 from wms-rest' });
  call.end(ago(8.99));
  deliver.setStatus({ code: SpanStatusCode.ERROR, message: 'partner unavailable' });
  deliver.setAttribute('crossdock.exception.category', 'partner_unavailable');
  deliver.end(ago(8.99));

  for (const [milestone, minutes] of [['released', 50], ['acknowledged', 49.5], ['shipped', 20], ['confirmed_in_odoo', 18]] as const) {
    const span = tracer.startSpan(`milestone ${milestone}`, { startTime: ago(minutes), attributes: { ...attrs('S-E2E-DONE'), 'process.milestone': milestone } });
    span.end(ago(minutes));
  }
  await provider.shutdown();
}
