import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventTypes } from '../../src/lib/integration/canonical';
import { webhookEndpoint, WmsRestAdapter } from '../../src/lib/integration/connectors/wms-rest';
import mappingJson from '../../src/lib/integration/connectors/wms-rest/fixtures/mapping.json';
import { WarehouseMapping } from '../../src/lib/integration/connectors/warehouse-mapping';
import { DeliveryDeferred, EndpointGuard, InboundDeduplicator } from '../../src/lib/integration/delivery';
import { AuthFailureError, RateLimitedError, ValidationError } from '../../src/lib/integration/errors';
import { openRuntimeDb, type RuntimeDb } from '../../src/lib/integration/store/runtime-db';
import { startWmsRestSimulator, type RunningSimulator } from '../../simulators/wms-rest';
import { contractOrder } from '../contracts/warehouse-adapter.contract';
import { captureSpans } from '../support/spans';

const mapping = WarehouseMapping.parse(mappingJson);
const spans = captureSpans();
const secret = `whsec_${Buffer.from('wms-rest-webhook-secret-456789').toString('base64')}`;

async function control(sim: RunningSimulator, path: string, body: unknown = {}) {
  const response = await fetch(`${sim.url}/_sim/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.json() as Promise<Record<string, unknown>>;
}

describe('wms-rest webhooks and reconciliation', () => {
  let dir: string;
  let sim: RunningSimulator;
  let adapter: WmsRestAdapter;
  let receiver: Server;
  let db: RuntimeDb;
  let dedup: InboundDeduplicator;
  /** Event types accepted (once per webhook-id), webhook ids answered 204 (every copy), refusals, kept malformed bodies. */
  let accepted: string[];
  let delivered: string[];
  let refused: number;
  let malformed: { id: string; body: string }[];
  let keys: Map<string, string>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wms-rest-hooks-'));
    db = openRuntimeDb(join(dir, 'runtime.db'));
    dedup = new InboundDeduplicator(db, 3_600_000);
    accepted = [];
    delivered = [];
    refused = 0;
    malformed = [];
    keys = new Map();
    sim = await startWmsRestSimulator({ port: 0, apiKey: 'k', webhookSecret: secret, stock: { 'HX-1001': 100, 'HX-2040': 100 } });
    adapter = new WmsRestAdapter({ baseUrl: sim.url, auth: { kind: 'api_key', apiKey: 'k' }, webhookSecret: secret, mapping });
    // The endpoint the runtime mounts on its webhook port, with the runtime's persisted de-duplication.
    const endpoint = webhookEndpoint({
      decoder: adapter.webhooks,
      dedup,
      scope: 'wms-rest',
      accept: async (events) => {
        for (const e of events) {
          accepted.push(e.type);
          keys.set(e.idempotencyKey, e.type);
        }
      },
      reject: (message) => void malformed.push({ id: message.externalId, body: message.rawPayload }),
    });
    receiver = createServer((req, res) => {
      void endpoint(req, res).then(() => {
        if (res.statusCode === 401) refused += 1;
        if (res.statusCode === 204) delivered.push(String(req.headers['webhook-id']));
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    await control(sim, 'webhooks', { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks` });
  });

  afterEach(async () => {
    await sim.close();
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers duplicates and out-of-order webhooks, yet each fact is accepted once', async () => {
    await control(sim, 'faults', { duplicateRate: 1, reorder: true });
    await adapter.sendOrder(contractOrder('S20001'));
    await control(sim, 'fulfil', { orderId: 'S20001' });
    await control(sim, 'idle');
    // Some webhook ids arrived twice, yet each order fact was accepted exactly once.
    expect(delivered.length).toBeGreaterThan(new Set(delivered).size);
    const orderEvents = accepted.filter((t) => t !== eventTypes.inventoryChanged);
    expect(orderEvents.sort()).toEqual([eventTypes.orderAcknowledged, eventTypes.orderProgressed, eventTypes.orderProgressed, eventTypes.shipmentShipped].sort());
    const orderKeys = [...keys].filter(([, type]) => type !== eventTypes.inventoryChanged).map(([k]) => k).sort();
    expect(orderKeys).toEqual(['wms-rest:ack:S20001', 'wms-rest:packed:S20001', 'wms-rest:picked:S20001', expect.stringMatching(/^wms-rest:shipment:SHP-/)]);
    // The reconciliation poll finds the same facts under the same keys: the runtime applies them once.
    const polled = (await adapter.receive()).events.filter((e) => e.correlationId === 'S20001').map((e) => e.idempotencyKey).sort();
    expect(polled).toEqual(orderKeys);
  });

  it('takes a duplicate storm, every webhook five times, as one fact each', async () => {
    await control(sim, 'faults', { duplicateRate: 1, duplicateCopies: 5 });
    await adapter.sendOrder(contractOrder('S20003'));
    await control(sim, 'fulfil', { orderId: 'S20003' });
    await control(sim, 'idle');
    const copies = new Map<string, number>();
    for (const id of delivered) copies.set(id, (copies.get(id) ?? 0) + 1);
    expect(new Set(copies.values())).toEqual(new Set([5]));
    const orderEvents = accepted.filter((t) => t !== eventTypes.inventoryChanged);
    expect(orderEvents.sort()).toEqual([eventTypes.orderAcknowledged, eventTypes.orderProgressed, eventTypes.orderProgressed, eventTypes.shipmentShipped].sort());
  });

  it('recovers dropped webhooks through the updated_at reconciliation poll', async () => {
    await control(sim, 'faults', { dropRate: 1 });
    await adapter.sendOrder(contractOrder('S20002'));
    await control(sim, 'fulfil', { orderId: 'S20002' });
    expect(accepted).toEqual([]);
    const shipped = (await adapter.receive()).events.filter((e) => e.type === eventTypes.shipmentShipped);
    expect(shipped.map((e) => e.correlationId)).toEqual(['S20002']);
    expect((await control(sim, 'idle')).dropped).toBeGreaterThan(0);
  });

  it('refuses bad signatures, tampered bodies and stale timestamps', () => {
    const body = JSON.stringify({ type: 'inventory.changed', timestamp: new Date().toISOString(), data: { item: { sku: 'HX-1001', on_hand: 1, committed: 0, available: 1, updated_at: new Date().toISOString() } } });
    const sign = (key: string, at: Date, payload = body) => ({
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(key).sign('msg_1', at, payload),
    });
    expect(adapter.webhooks.decode(sign(secret, new Date()), body).events).toHaveLength(1);
    const other = `whsec_${Buffer.from('someone-elses-secret-0000000').toString('base64')}`;
    expect(() => adapter.webhooks.decode(sign(other, new Date()), body)).toThrow(AuthFailureError);
    expect(() => adapter.webhooks.decode(sign(secret, new Date()), body.replace('"on_hand":1', '"on_hand":9'))).toThrow(AuthFailureError);
    expect(() => adapter.webhooks.decode(sign(secret, new Date(Date.now() - 10 * 60_000)), body)).toThrow(/too old/i);
    expect(() => adapter.webhooks.decode({ 'webhook-id': 'msg_1' }, body)).toThrow(AuthFailureError);
  });

  it('keeps a malformed but signed webhook for review instead of crashing', async () => {
    await control(sim, 'faults', { malformedRate: 1 });
    await control(sim, 'stock', { sku: 'HX-1001', delta: 5 });
    expect(malformed).toHaveLength(1);
    expect(malformed[0].id).toMatch(/^msg_/);
    expect(() => adapter.webhooks.decode({}, malformed[0].body)).toThrow(AuthFailureError);
    expect(refused).toBe(0);
    const signed = { 'webhook-id': 'm', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)) };
    const bad = '{"type":"order.shipped","timestamp":"2026-11-27T10:00:00Z","data":{}}';
    const error = (() => {
      try {
        adapter.webhooks.decode({ ...signed, 'webhook-signature': new Webhook(secret).sign('m', new Date(Number(signed['webhook-timestamp']) * 1000), bad) }, bad);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/data\.order/);
  });

  it('answers 401 to a bad signature and 503 when the runtime could not take the events, so the retry is taken', async () => {
    let failNext = true;
    const taken: string[] = [];
    const endpoint = webhookEndpoint({
      decoder: adapter.webhooks,
      dedup,
      scope: 'wms-rest-503',
      accept: async (events) => {
        if (failNext) {
          failNext = false;
          throw new Error('bus unavailable');
        }
        taken.push(...events.map((e) => e.idempotencyKey));
      },
      reject: () => undefined,
    });
    const server = createServer((req, res) => void endpoint(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const body = JSON.stringify({ type: 'inventory.changed', timestamp: new Date().toISOString(), data: { item: { sku: 'HX-1001', on_hand: 7, committed: 0, available: 7, updated_at: '2026-11-27T10:00:00.000Z' } } });
      const post = (key: string) => {
        const at = new Date();
        const headers = { 'webhook-id': 'msg_retry', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(key).sign('msg_retry', at, body) };
        return fetch(url, { method: 'POST', headers, body }).then((r) => r.status);
      };
      expect(await post(`whsec_${Buffer.from('an-attackers-secret-000000000').toString('base64')}`)).toBe(401);
      // Raised for operators as an auth failure (the exception queue takes it from this span), without the body.
      const rejected = spans.getFinishedSpans().filter((s) => s.name === 'webhook signature rejected');
      expect(rejected).toHaveLength(1);
      expect(rejected[0].attributes).toMatchObject({ 'crossdock.exception.category': 'auth_failure', 'correlation.id': 'wms-rest-503', 'crossdock.webhook.id': 'msg_retry' });
      expect(rejected[0].status.code).toBe(2);
      expect(JSON.stringify(rejected[0].events)).not.toContain('HX-1001');
      expect(await post(secret)).toBe(503);
      expect(await post(secret)).toBe(204);
      expect(await post(secret)).toBe(204);
      expect(taken).toEqual(['wms-rest:inv:HX-1001:2026-11-27T10:00:00.000Z']);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('maps a 429 to RateLimitedError with Retry-After, and the guard slows only this partner', async () => {
    await control(sim, 'faults', { burst429: 1, retryAfterSeconds: 7 });
    const guard = new EndpointGuard('wms-rest');
    const other = new EndpointGuard('edi-3pl');
    const error = await guard.call(() => adapter.sendOrder(contractOrder('S20003'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(7000);
    await expect(guard.call(() => adapter.sendOrder(contractOrder('S20003')))).rejects.toThrow(DeliveryDeferred);
    await expect(other.call(async () => 'ok')).resolves.toBe('ok');
  });

  it('pages through every order with cursors', async () => {
    const paged = new WmsRestAdapter({ baseUrl: sim.url, auth: { kind: 'api_key', apiKey: 'k' }, webhookSecret: secret, mapping, pageSize: 3 });
    for (let i = 0; i < 8; i++) await paged.sendOrder(contractOrder(`S3000${i}`));
    await control(sim, 'process');
    const acks = (await paged.receive()).events.filter((e) => e.type === eventTypes.orderAcknowledged);
    expect(acks.map((e) => e.correlationId).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `S3000${i}`));
  });
});

describe('wms-rest OAuth2 client credentials', () => {
  it('fetches a token, refreshes it when the WMS forgets it, and reports a bad secret as an auth failure', async () => {
    const sim = await startWmsRestSimulator({ port: 0, clientId: 'crossdock', clientSecret: 's3cret', webhookSecret: secret, stock: { 'HX-1001': 10, 'HX-2040': 10 } });
    try {
      const auth = { kind: 'oauth2' as const, tokenUrl: `${sim.url}/oauth/token`, clientId: 'crossdock', clientSecret: 's3cret' };
      const adapter = new WmsRestAdapter({ baseUrl: sim.url, auth, webhookSecret: secret, mapping });
      expect((await adapter.sendOrder(contractOrder('S40001'))).duplicate).toBe(false);
      await control(sim, 'revoke-tokens');
      expect((await adapter.fetchOrderStatus('S40001')).state).toBe('received');
      const wrong = new WmsRestAdapter({ baseUrl: sim.url, auth: { ...auth, clientSecret: 'nope' }, webhookSecret: secret, mapping });
      await expect(wrong.fetchInventory()).rejects.toThrow(AuthFailureError);
      const noKey = new WmsRestAdapter({ baseUrl: sim.url, auth: { kind: 'api_key', apiKey: 'guess' }, webhookSecret: secret, mapping });
      await expect(noKey.fetchInventory()).rejects.toThrow(AuthFailureError);
    } finally {
      await sim.close();
    }
  });
});
