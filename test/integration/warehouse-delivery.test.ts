import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { events, eventTypes, Order } from '../../src/lib/integration/canonical';
import type { WarehouseAdapter } from '../../src/lib/integration/connectors/warehouse-adapter';
import { WarehouseMapping } from '../../src/lib/integration/connectors/warehouse-mapping';
import { WmsBatchAdapter } from '../../src/lib/integration/connectors/wms-batch';
import batchMappingJson from '../../src/lib/integration/connectors/wms-batch/fixtures/mapping.json';
import { WmsRestAdapter } from '../../src/lib/integration/connectors/wms-rest';
import restMappingJson from '../../src/lib/integration/connectors/wms-rest/fixtures/mapping.json';
import { MessageLedger, type Route } from '../../src/lib/integration/delivery';
import { startWmsBatchSimulator } from '../../simulators/wms-batch';
import { startWmsRestSimulator } from '../../simulators/wms-rest';
import { contractOrder } from '../contracts/warehouse-adapter.contract';
import { anOrder } from '../factories/canonical';
import { deliveryParts, eventually } from '../support/runtime-parts';
import { captureSpans } from '../support/spans';

const spans = captureSpans();

/**
 * Orders released onto the runtime's real bus and dispatcher, sent by a route through the
 * endpoint guard to a faulty simulator: every fault must end as a retry or a dead letter with the
 * right category, and the simulator's state must show every order received once and shipped once.
 */
const sendRoute = (topic: string, endpointId: string, adapter: WarehouseAdapter): Route => ({
  topic,
  async handle(envelope, context) {
    const order = Order.parse(envelope.data);
    await context.endpoint(endpointId).call(() => adapter.sendOrder(order));
  },
});

const released = (order: Order) =>
  events.create(eventTypes.orderReleased, { data: order, source: 'odoo', correlationId: order.orderId, idempotencyKey: `release:${order.orderId}`, serviceClass: 'realtime' });

const control = async (base: string, path: string, body: unknown = {}) =>
  (await fetch(`${base}/_sim/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<Record<string, never>>;

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
  spans.reset();
});

const many = { maxAttempts: 25, baseDelayMs: 5, maxDelayMs: 20 };
const classes = { realtime: { concurrency: 8, retry: many }, standard: { concurrency: 4, retry: many }, batch: { concurrency: 2, retry: many } };

describe('warehouse delivery under faults', () => {
  it('wms-rest: 500s and 429s become retries, an unmapped SKU a master-data dead letter, and nothing is lost or doubled', async () => {
    const secret = `whsec_${Buffer.from('delivery-test-webhook-secret-0').toString('base64')}`;
    const sim = await startWmsRestSimulator({ port: 0, apiKey: 'k', webhookSecret: secret, stock: { 'HX-1001': 10_000, 'HX-2040': 10_000 }, seed: 3 });
    cleanup.push(() => sim.close());
    const adapter = new WmsRestAdapter({ baseUrl: sim.url, auth: { kind: 'api_key', apiKey: 'k' }, webhookSecret: secret, mapping: WarehouseMapping.parse(restMappingJson) });
    const parts = deliveryParts([sendRoute('order.send.wms-rest', 'wms-rest', adapter)], { 'wms-rest': { halfOpenAfterMs: 50, breakAfterFailures: 50 } }, classes);
    cleanup.push(() => parts.close());
    await control(sim.url, 'faults', { errorRate: 0.3, burst429: 4, retryAfterSeconds: 0 });
    parts.dispatcher.start();
    const ids = Array.from({ length: 20 }, (_, i) => `S7${String(i).padStart(4, '0')}`);
    for (const id of ids) await parts.bus.publish('order.send.wms-rest', released(contractOrder(id)));
    // A redelivered release (same order, new message) must not create a second order.
    for (const id of ids.slice(0, 3)) await parts.bus.publish('order.send.wms-rest', released(contractOrder(id)));
    await parts.bus.publish('order.send.wms-rest', released(Order.parse(anOrder({ orderId: 'S79999', lines: [{ lineId: '1', sku: 'NOPE-1', quantity: 1, uom: 'Units' }] }))));
    await eventually(async () => (await parts.bus.stats()).every((s) => s.depth === 0), 20_000);

    const dead = parts.deadLetters.list();
    expect(dead.map((d) => [d.correlationId, d.category, d.reason])).toEqual([['S79999', 'master_data_mismatch', 'permanent']]);
    const outcomes = spans.getFinishedSpans().filter((x) => x.name === 'process order.send.wms-rest').map((x) => x.attributes['crossdock.outcome']);
    expect(outcomes.filter((o) => o === 'retry').length).toBeGreaterThan(0);
    let state = await (await fetch(`${sim.url}/_sim/state`)).json();
    expect(state.received.distinct).toBe(20);
    expect(state.received.raw).toBeGreaterThanOrEqual(23);
    expect(Object.keys(state.orders).sort()).toEqual(ids);

    await control(sim.url, 'faults', { errorRate: 0, burst429: 0 });
    for (const id of ids) await control(sim.url, 'fulfil', { orderId: id });
    const shipped = (await adapter.receive()).events.filter((e) => e.type === eventTypes.shipmentShipped);
    expect(shipped.map((e) => e.correlationId).sort()).toEqual(ids);
    state = await (await fetch(`${sim.url}/_sim/state`)).json();
    expect(state.shipped).toBe(20);
  });

  it('wms-batch: an SFTP outage becomes retries and every order reaches the WMS exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batch-delivery-'));
    const sim = await startWmsBatchSimulator({ dir, sftpPort: 0, controlPort: 0, username: 'u', password: 'p', stock: { 'NWH-100100': 1_000, '0004711': 1_000 } });
    cleanup.push(async () => (await sim.close(), rmSync(dir, { recursive: true, force: true })));
    // The adapter keeps its ledger in the runtime's database, which deliveryParts opens: wire it after.
    const late: { adapter?: WmsBatchAdapter } = {};
    const parts = deliveryParts([{ topic: 'order.send.wms-batch', handle: (e, c) => sendRoute('', 'wms-batch', late.adapter!).handle(e, c) }], { 'wms-batch': { halfOpenAfterMs: 50, breakAfterFailures: 50, maxConcurrent: 1 } }, classes);
    cleanup.push(() => parts.close());
    const adapter = (late.adapter = new WmsBatchAdapter({ sftp: { host: '127.0.0.1', port: sim.sftpPort, username: 'u', password: 'p' }, clientCode: 'CROSSDOCK', mapping: WarehouseMapping.parse(batchMappingJson) }, { ledger: new MessageLedger(parts.db) }));
    cleanup.push(() => adapter.close());
    // An outage window: the SFTP server refuses connections for half a second, then recovers by itself.
    await control(sim.controlUrl, 'faults', { outage: true, outageForMs: 500 });
    parts.dispatcher.start();
    const ids = Array.from({ length: 8 }, (_, i) => `S8${String(i).padStart(4, '0')}`);
    for (const id of ids) await parts.bus.publish('order.send.wms-batch', released(contractOrder(id)));
    await eventually(async () => (await parts.bus.stats()).every((s) => s.depth === 0), 20_000);
    expect(parts.deadLetters.list()).toEqual([]);
    const state = await control(sim.controlUrl, 'process');
    expect(state.received).toMatchObject({ distinct: 8, raw: 8 });
    for (const id of ids) expect(ledgerState(parts, id)).toBe('output_sent');
    const processed = spans.getFinishedSpans().filter((x) => x.name === 'process order.send.wms-batch');
    const failures = processed.filter((x) => x.attributes['crossdock.outcome'] === 'retry');
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((x) => x.attributes['crossdock.exception.category'] === 'partner_unavailable')).toBe(true);
    expect((await (await fetch(`${sim.controlUrl}/_sim/faults`)).json()).outage).toBe(false);
  });
});

function ledgerState(parts: ReturnType<typeof deliveryParts>, orderId: string) {
  return new MessageLedger(parts.db).find('wms-batch', 'order', orderId)?.state;
}
