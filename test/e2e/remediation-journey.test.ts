import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultServiceClasses } from '../../src/lib/integration/delivery';
import { ARTEFACTS, launchBrowser, signInAs } from '../support/browser';
import { freePort, runCli, startCli, waitForHttp } from '../support/cli';
import { startFlowWorld, type FlowWorld } from '../support/flow-world';
import { eventually } from '../support/runtime-parts';

const PASSWORD = 'crossdock-demo';

/**
 * Issue 9's journey on the real chain: the REST WMS fails an order until it is dead-lettered;
 * support accepts the AI's suggestion to replay it, may not approve it, an approver approves, the
 * runtime replays it once and the order completes; the audit log shows the whole chain and
 * `crossdock audit verify` passes, and fails once an entry is tampered with.
 */
describe('remediation journey in Chromium', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-remediation-e2e-'));
  let world: FlowWorld;
  let base: string;
  let console_: ReturnType<typeof startCli>;
  let browser: Browser;
  let orderId: string;
  let proposalId: string;

  beforeAll(async () => {
    const [port, collectorPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${port}`;
    // The runtime runs in this process: its spans go to the console's collector like a deployed runtime's.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    // Batched as `startTracing` does: a span per request would swamp the console with the pollers' spans.
    const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${collectorPort}/v1/traces` });
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': 'crossdock-runtime' }),
        spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 65_536, maxExportBatchSize: 4_096, scheduledDelayMillis: 500 })],
      }),
    );
    // Two attempts, so the failing order is dead-lettered within a second instead of after the real-time class's eight.
    // The partners run in their own process and Odoo is polled at the runtime's default pace, so
    // this process (runtime, span export and Playwright's client) keeps up on two busy cores.
    world = await startFlowWorld({ autoAdvanceMs: 300, partnersInChildProcess: true, odooPollMs: 500, classes: { ...defaultServiceClasses, realtime: { ...defaultServiceClasses.realtime, retry: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 100 } } } });
    console_ = startCli(['console'], {
      CROSSDOCK_DATA_DIR: dataDir,
      CROSSDOCK_CONSOLE_PORT: String(port),
      CROSSDOCK_COLLECTOR_PORT: String(collectorPort),
      CROSSDOCK_DEMO: 'true',
      CROSSDOCK_ADMIN_PORT: new URL(world.adminUrl).port,
      CROSSDOCK_ADMIN_TOKEN: world.adminToken,
      CROSSDOCK_EXCEPTION_INTAKE_MS: '1000',
    });
    await waitForHttp(`${base}/healthz`);

    // The REST WMS answers 500 to everything until an order sent to it is dead-lettered.
    await world.sim('wms-rest', 'faults', { errorRate: 1 });
    const admin = (path: string) => fetch(`${world.adminUrl}/admin/v1${path}`, { headers: { authorization: `Bearer ${world.adminToken}` } }).then((r) => r.json());
    orderId = await eventually(async () => {
      await world.createOrders(3);
      await world.integration.flows.pollNow().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 1_000));
      const { deadLetters } = await admin('/dead-letters?status=open');
      return (deadLetters as { correlationId: string; category: string }[]).find((d) => d.category === 'partner_unavailable')?.correlationId;
    }, 60_000);
    await world.sim('wms-rest', 'faults', { errorRate: 0 });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    // What the console reported (intake or remediation trouble) helps read a failure in CI.
    if (console_?.output.stderr.trim()) console.error(`console stderr:\n${console_.output.stderr.slice(-4_000)}`);
    await browser?.close();
    await console_?.stop();
    await world?.stop();
  });

  it('support accepts the AI suggestion to replay the dead-lettered order, and may not approve it', { timeout: 150_000 }, async () => {
    const page = await browser.newPage();
    await signInAs(page, base, 'support', PASSWORD);
    await page.getByRole('link', { name: 'Exceptions' }).click();
    await page.waitForURL(/\/exceptions/);
    // The intake reads the runtime's dead letters every second; reload until the incident is there.
    // Named after the warehouse the runtime had routed the order to.
    const incident = page.getByRole('link', { name: /wms-rest · deliver crossdock\.order\.released/ });
    for (let i = 0; i < 60 && (await incident.count()) === 0; i++) {
      await new Promise((r) => setTimeout(r, 1_000));
      await page.reload();
    }
    await page.screenshot({ path: join(ARTEFACTS, 'exceptions.png'), fullPage: true });
    await incident.first().click();
    await page.waitForURL(/\/exceptions\/\d+$/);
    await page.getByRole('cell', { name: orderId }).waitFor();
    const accept = page.getByRole('button', { name: 'Accept suggestion: replay' });
    for (let i = 0; i < 30 && (await accept.count()) === 0; i++) {
      await new Promise((r) => setTimeout(r, 1_000));
      await page.reload();
    }
    await accept.click();
    await page.getByText(/Suggestion accepted: proposal to replay \d+ target\(s\) waits for an approver/).waitFor();
    const card = page.getByRole('article', { name: /Proposal / });
    await card.getByText('AI suggestion', { exact: true }).waitFor();
    expect(await card.getByRole('button', { name: /Approve/ }).count()).toBe(0);
    proposalId = (await card.getAttribute('aria-label'))!.replace('Proposal ', '');
    await page.screenshot({ path: join(ARTEFACTS, 'incident.png'), fullPage: true });

    // Nor through the API with the same session: approving needs another person holding `approve`.
    const csrf = await page.locator('input[name=csrf]').first().inputValue();
    const refused = await page.request.post(`${base}/api/v1/proposals/${proposalId}/approve`, { data: {}, headers: { 'x-csrf-token': csrf } });
    expect(refused.status()).toBe(403);
    await page.close();
  });

  it('an approver approves; the runtime replays the order once and it completes', { timeout: 180_000 }, async () => {
    const page = await browser.newPage();
    await signInAs(page, base, 'approver', PASSWORD);
    await page.getByRole('link', { name: 'Remediations' }).click();
    const card = page.getByRole('article', { name: `Proposal ${proposalId}` });
    await card.getByText(orderId).waitFor();
    await page.screenshot({ path: join(ARTEFACTS, 'remediations.png'), fullPage: true });
    // Two clicks in quick succession: one execution. The page shows the answer to the second
    // ("already executing") or, when it wins the race, the first; the proposal's own state says how it ended.
    const approve = card.getByRole('button', { name: 'Approve and run' });
    await approve.dblclick();
    const answer = (await page.getByRole('status').first().textContent({ timeout: 60_000 })) ?? '';
    expect(answer).toMatch(/Proposal succeeded: (\d+) of \1 target\(s\) done|is already (executing|succeeded)/);
    const csrf = await page.locator('input[name=csrf]').first().inputValue();
    const finished = await eventually(async () => {
      const proposal = await (await page.request.get(`${base}/api/v1/proposals/${proposalId}`, { headers: { 'x-csrf-token': csrf } })).json();
      return proposal.status !== 'executing' && proposal;
    }, 30_000);
    expect(finished, JSON.stringify(finished.outcome)).toMatchObject({ status: 'succeeded', decidedBy: 'approver' });

    const replays = world.integration.runtime.deadLetters.list({ correlationId: orderId })[0];
    expect(replays).toMatchObject({ status: 'replayed', replayCount: 1 });
    // The WMS acknowledges and ships it on its own; Odoo's delivery is validated.
    await eventually(async () => {
      await world.integration.flows.pollNow().catch(() => undefined);
      return world.integration.flows.admin.order(orderId)?.status === 'confirmed' || undefined;
    }, 120_000);
    // The console sees it complete from the spans, and the incident closes itself.
    await page.goto(`${base}/transactions/${orderId}`);
    const completed = page.getByText('completed', { exact: true }).first();
    for (let i = 0; i < 60 && (await completed.count()) === 0; i++) {
      await new Promise((r) => setTimeout(r, 1_000));
      await page.reload();
    }
    await completed.waitFor();
    await page.getByRole('cell', { name: /closed: dead letter replayed/ }).first().waitFor();
    await page.screenshot({ path: join(ARTEFACTS, 'transaction-remediated.png'), fullPage: true });
    await page.close();
  });

  it('the audit page shows the whole chain, audit verify passes, and a tampered entry makes it fail', { timeout: 90_000 }, async () => {
    const page = await browser.newPage();
    await signInAs(page, base, 'admin', PASSWORD);
    await page.goto(`${base}/audit?subject=${encodeURIComponent(`proposal:${proposalId}`)}`);
    for (const [who, what] of [['support', 'proposal.created'], ['approver', 'proposal.approved'], ['approver', 'proposal.executed'], ['approver', 'proposal.succeeded']])
      await page.getByRole('row').filter({ hasText: who }).filter({ hasText: what }).first().waitFor();
    await page.screenshot({ path: join(ARTEFACTS, 'audit.png'), fullPage: true });
    const download = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]).then(([d]) => d);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('seq,at,actor,action,subject,detail,prev_hash,hash');
    expect(csv).toContain('proposal.succeeded');
    await page.close();

    const verified = await runCli(['audit', 'verify'], { CROSSDOCK_DATA_DIR: dataDir });
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/audit log intact: \d+ entries/);

    const db = new Database(join(dataDir, 'console.db'));
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE action = 'proposal.approved'").run();
    db.close();
    const tampered = await runCli(['audit', 'verify'], { CROSSDOCK_DATA_DIR: dataDir });
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(/audit log TAMPERED: entry \d+ was changed after it was written/);
  });
});
