import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signInAs } from '../support/browser';
import { freePort, runCli, startCli, waitForHttp } from '../support/cli';
import { stockProvider } from '../support/otel-sdk';
import { eventually } from '../support/runtime-parts';

const PASSWORD = 'crossdock-demo';

/** Markup a partner (or anyone who can reach the collector) might put in an error text or an id. */
const HOSTILE = {
  correlationId: 'S0X"><img src=x onerror=window.__pwned=1>',
  message: '<script>window.__pwned=2</script><img src=x onerror="window.__pwned=3"> order rejected',
  warehouse: 'wms-rest"><svg onload=window.__pwned=4>',
};

/**
 * Stored payloads from partners are hostile: error texts, correlation ids and partner names with
 * markup arrive over OTLP, land in the exception queue and the process pages, and Chromium must
 * show them as text on every page that shows them, never run them.
 */
describe('hostile payloads in the console (Chromium)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-hostile-'));
  let base: string;
  let server: ReturnType<typeof startCli>;
  let browser: Browser;
  let token: string;

  beforeAll(async () => {
    const [port, collectorPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${port}`;
    server = startCli(['console'], { CROSSDOCK_DATA_DIR: dataDir, CROSSDOCK_CONSOLE_PORT: String(port), CROSSDOCK_COLLECTOR_PORT: String(collectorPort), CROSSDOCK_DEMO: 'true', CROSSDOCK_EXCEPTION_INTAKE_MS: '300' });
    await waitForHttp(`${base}/healthz`);
    token = (await runCli(['token', 'create', '--name', 'hostile', '--role', 'viewer'], { CROSSDOCK_DATA_DIR: dataDir })).stdout.trim();
    const provider = stockProvider(`http://127.0.0.1:${collectorPort}`, 'protobuf', { service: 'crossdock-runtime' });
    const tracer = provider.getTracer('hostile');
    const attributes = { 'correlation.id': HOSTILE.correlationId, 'process.name': 'order_fulfillment', 'warehouse.id': HOSTILE.warehouse, 'service.class': 'realtime' };
    tracer.startSpan('milestone released', { attributes: { ...attributes, 'process.milestone': 'released' } }).end();
    const call = tracer.startSpan('POST /orders', { kind: SpanKind.CLIENT, attributes: { ...attributes, 'crossdock.endpoint.id': HOSTILE.warehouse, 'crossdock.exception.category': 'validation_error' } });
    call.recordException(new Error(HOSTILE.message));
    call.setStatus({ code: SpanStatusCode.ERROR, message: HOSTILE.message });
    call.end();
    await provider.shutdown();
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Opens a page, and fails on any script the payload managed to run or any dialog it opened. */
  async function visit(page: Page, path: string) {
    await page.goto(`${base}${path}`);
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), `${path} ran the payload`).toBeUndefined();
    expect(await page.locator('img[src="x"], svg[onload]').count(), `${path} made an element from the payload`).toBe(0);
  }

  it('shows error texts, ids and partner names as text on every page that shows them', async () => {
    const incident = await eventually(async () => {
      const body = await (await fetch(`${base}/api/v1/exceptions`, { headers: { authorization: `Bearer ${token}` } })).json();
      return body.items?.find((i: { sampleError: string }) => i.sampleError.includes('order rejected'));
    }, 30_000);
    const page = await browser.newPage();
    page.on('dialog', (dialog) => {
      throw new Error(`a payload opened a dialog: ${dialog.message()}`);
    });
    // The pages themselves must run within the Content-Security-Policy, without script errors.
    const problems: string[] = [];
    page.on('console', (message) => void (message.type() === 'error' && problems.push(message.text())));
    page.on('pageerror', (error) => void problems.push(String(error)));
    await signInAs(page, base, 'support', PASSWORD);
    await visit(page, '/exceptions');
    expect(await page.textContent('main')).toContain('order rejected');
    await visit(page, `/exceptions/${incident.id}`);
    expect(await page.textContent('main')).toContain('<script>window.__pwned=2</script>');
    await visit(page, `/processes?search=${encodeURIComponent('S0X')}`);
    // The transaction page takes only ids that look like ids: this one is refused, in words.
    await visit(page, `/transactions/${encodeURIComponent(HOSTILE.correlationId)}`);
    expect(await page.textContent('body')).toMatch(/invalid correlation id/);
    await visit(page, '/partners');
    await visit(page, '/');
    await page.close();
    // The transaction page's refusal is an HTTP 400, which Chromium reports as a console error.
    expect(problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
  }, 90_000);
});
