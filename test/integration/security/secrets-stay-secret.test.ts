import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFlowWorld, type FlowWorld } from '../../support/flow-world';
import { eventually } from '../../support/runtime-parts';
import { captureSpans } from '../../support/spans';

const spans = captureSpans();

/**
 * The runtime holds the Odoo API key, the WMS API key and webhook secret, SFTP passwords, the
 * Odoo webhook secret (in its URL path) and the admin token. Orders flow, a WMS fails calls,
 * webhooks arrive with wrong signatures and wrong secrets: none of those secrets may appear in
 * any span (name, attribute, event, status), in what the runtime logs, or in what its admin API
 * shows (dead letters, payload excerpts), which is what the console's exceptions and the LLM
 * prompts are made from.
 */
describe('secrets stay out of spans, logs and the admin API', () => {
  let world: FlowWorld;
  const logged: string[] = [];

  beforeAll(async () => {
    for (const method of ['log', 'info', 'warn', 'error'] as const)
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
    world = await startFlowWorld({ odooWebhooks: true, autoAdvanceMs: 300 });
  }, 60_000);
  afterAll(async () => {
    await world?.stop();
    vi.restoreAllMocks();
  });

  it('finds none of them anywhere after orders, failures and forged webhooks', async () => {
    // Failing WMS calls (rate-limited) and ordinary traffic to every warehouse.
    await world.sim('wms-rest', 'faults', { burst429: 2, retryAfterSeconds: 1 });
    const orders = await world.createOrders(6);
    await eventually(async () => {
      const states = await Promise.all(orders.map((o) => world.integration.flows.admin.order(o)));
      // Every order sent to its warehouse (REST call, CSV file or 940 over SFTP): the partners' calls have happened.
      return states.every((s) => s && s.status !== 'routed') ? states : undefined;
    }, 30_000);
    // Forged webhooks: a wrong Odoo secret in the path, a WMS event with a bad signature.
    const hooks = new URL(world.integration.webhookUrl!).origin;
    expect((await fetch(`${hooks}/webhooks/odoo/not-the-secret-at-all`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"_model":"sale.order","_id":1}' })).status).toBe(404);
    const forged = await fetch(`${hooks}/webhooks/wms-rest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': 'msg_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,Zm9yZ2Vk' },
      body: '{"type":"order.shipped","data":{}}',
    });
    expect(forged.status).toBe(401);

    // What the admin API shows about everything (dead letters, each order's partner messages).
    const admin = (path: string) => fetch(`${world.adminUrl}${path}`, { headers: { authorization: `Bearer ${world.adminToken}` } }).then((r) => r.text());
    const adminViews = [await admin('/admin/v1/dead-letters?limit=500'), await admin('/admin/v1/health'), ...(await Promise.all(orders.map((o) => admin(`/admin/v1/transactions/${o}`))))];
    expect(adminViews.join('')).toContain(orders[0]); // the views are real

    const exported = spans.getFinishedSpans().map((span) =>
      JSON.stringify({ name: span.name, attributes: span.attributes, events: span.events, status: span.status, resource: span.resource.attributes }),
    );
    expect(exported.length).toBeGreaterThan(50);
    const haystacks = { spans: exported.join('\n'), logs: logged.join('\n'), admin: adminViews.join('\n') };
    const secrets = Object.entries(world.secrets).filter(([, value]) => value.length >= 8);
    expect(secrets.map(([name]) => name)).toEqual(expect.arrayContaining(['odooApiKey', 'wmsKey', 'webhookSecret', 'password', 'adminToken', 'odooWebhookSecret']));
    for (const [where, text] of Object.entries(haystacks)) for (const [name, value] of secrets) expect(text.includes(value), `${name} appears in ${where}`).toBe(false);
  }, 60_000);
});
