import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOdooSimulator, type OdooSimulator } from '../../simulators/odoo';
import { Shipment } from '../../src/lib/integration/canonical';
import { OdooConnector, odooWebhookHandler, type OdooChangeHint } from '../../src/lib/integration/connectors/odoo';
import { openRuntimeDb, type RuntimeDb } from '../../src/lib/integration/store/runtime-db';
import { aShipment } from '../factories/canonical';
import { freePort } from '../support/cli';

const API_KEY = '77aa88bb99cc00dd11ee22ff33aa44bb55cc66dd';
const SECRET = 'whsec-0123456789abcdef';
let sim: OdooSimulator;
let receiver: Server;
let receiverUrl: string;
let dir: string;
let db: RuntimeDb;
const hints: OdooChangeHint[] = [];
const bodies: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'odoo-webhook-'));
  sim = await startOdooSimulator({ dataDir: join(dir, 'sim'), port: 0, apiKey: API_KEY });
  db = openRuntimeDb(join(dir, 'runtime.db'));
  const handler = odooWebhookHandler({ secret: SECRET, onHint: (hint) => hints.push(hint) });
  receiver = createServer((req, res) => {
    // Keep a copy of the raw body to check Odoo's payload format.
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => bodies.push(Buffer.concat(chunks).toString('utf8')));
    void handler(req, res);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => receiver.listen(port, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  db.close();
  await sim.close();
  await new Promise((r) => receiver.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
};

describe('Odoo automation-rule webhooks', () => {
  it('hints the connector at a validated delivery at once, with the payload Odoo sends', async () => {
    const rule = await fetch(`${sim.url}/_sim/webhooks`, {
      method: 'POST',
      body: JSON.stringify({ url: `${receiverUrl}/odoo/webhook/${SECRET}`, model: 'stock.picking', fields: ['name', 'state', 'sale_id', 'origin'], name: 'Notify Crossdock' }),
    });
    expect(rule.status).toBe(201);
    const { orders } = (await (await fetch(`${sim.url}/_sim/orders`, { method: 'POST', body: JSON.stringify({ count: 1 }) })).json()) as { orders: string[] };
    const odoo = new OdooConnector({ endpoint: { url: sim.url, database: 'crossdock', login: 'admin', apiKey: API_KEY, timeoutMs: 5_000 }, db });
    const released = (await odoo.pullReleasedOrders()).items.find((i) => i.order.orderId === orders[0])!;
    const lines = released.order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, uom: l.uom }));
    await odoo.confirmShipment(Shipment.parse(aShipment({ shipmentId: 'WH-SHP', orderId: orders[0], packages: [{ packageId: 'P', trackingNumber: 'TRK-WH' }], lines })));

    await until(() => hints.some((h) => h.fields.state === 'done'));
    const done = hints.find((h) => h.fields.state === 'done')!;
    expect(done).toMatchObject({ model: 'stock.picking', fields: { origin: orders[0], sale_id: released.odooId } });
    const raw = bodies.find((b) => b.includes('"state":"done"'))!;
    expect(Object.keys(JSON.parse(raw))).toEqual(['_action', '_id', '_model', 'id', 'name', 'origin', 'sale_id', 'state']);
    expect(JSON.parse(raw)._action).toBe('Notify Crossdock(#1)');
    // The hint is not the truth: the connector re-reads the picking.
    const deliveries = (await odoo.pullDeliveries()).items;
    expect(deliveries.find((d) => d.odooId === done.id)).toMatchObject({ state: 'done', trackingRef: 'TRK-WH' });
  });

  it('refuses a wrong secret with 404 and a payload that is not Odoo’s with 400', async () => {
    const before = hints.length;
    const wrong = await fetch(`${receiverUrl}/odoo/webhook/not-the-secret-at-all`, { method: 'POST', body: JSON.stringify({ _model: 'stock.picking', _id: 1 }) });
    expect(wrong.status).toBe(404);
    expect(await wrong.json()).toEqual({ status: 'error' });
    const header = await fetch(`${receiverUrl}/odoo/webhook`, { method: 'POST', headers: { 'x-odoo-webhook-secret': SECRET }, body: JSON.stringify({ _model: 'sale.order', _id: 3 }) });
    expect(header.status).toBe(200);
    const bad = await fetch(`${receiverUrl}/odoo/webhook/${SECRET}`, { method: 'POST', body: JSON.stringify({ id: 3 }) });
    expect(bad.status).toBe(400);
    expect(hints.slice(before)).toEqual([{ model: 'sale.order', id: 3, fields: {} }]);
  });
});
