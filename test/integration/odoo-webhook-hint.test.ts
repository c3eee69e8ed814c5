import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/runtime-parts';
import { startFlowWorld, type FlowWorld } from '../support/flow-world';

// Odoo's automation rule ("Send Webhook Notification" on sale.order) makes the runtime read at once.
describe('Odoo webhook hints', () => {
  let world: FlowWorld;
  beforeAll(async () => {
    // A poll every 10 minutes: only the webhook can bring the order in within the test.
    world = await startFlowWorld({ odooWebhooks: true, odooPollMs: 600_000 });
    await new Promise((r) => setTimeout(r, 500)); // the first poll round, at start, is over
  }, 60_000);
  afterAll(() => world?.stop());

  it('takes a released order as soon as Odoo posts the change', async () => {
    const [order] = await world.createOrders(1);
    const assignment = await eventually(() => world.integration.flows.admin.order(order), 5_000);
    expect(assignment.orderId).toBe(order);
  });

  it('answers a webhook with the wrong secret like Odoo does (404) and takes nothing from it', async () => {
    const url = new URL(world.integration.webhookUrl!);
    const response = await fetch(`${url.origin}/webhooks/odoo/not-the-secret-at-all`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ _model: 'sale.order', _id: 1 }) });
    expect(response.status).toBe(404);
  });
});
