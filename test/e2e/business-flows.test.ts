import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { milestones } from '../../src/lib/processes/milestones';
import { Attr } from '../../src/lib/telemetry/conventions';
import type { RuntimeConfig } from '../../src/lib/config';
import { JetStreamBus } from '../../src/lib/integration/bus';
import { readRuntimeTransaction } from '../../src/lib/server/runtime-admin';
import { eventually } from '../support/runtime-parts';
import { captureSpans } from '../support/spans';
import { startFlowWorld, type FlowWorld } from '../support/flow-world';

/**
 * Orders through every flow and all three warehouse dialects, with partner faults switched on:
 * Odoo → route → REST WMS (429 burst, duplicated and reordered webhooks), CSV/SFTP WMS
 * (half-written files), X12 3PL; acknowledgements, shipments (some short) confirmed in Odoo,
 * returns, an approved reroute, and reconciliation. The effects are checked where they land:
 * in the simulators' `/_sim/state` and in Odoo, read through its own API.
 */
let spans: InMemorySpanExporter | undefined;

// Once on the embedded SQLite bus and once on NATS JetStream (the real nats-server .ci/run starts), each run in its own stream.
for (const bus of ['sqlite', 'jetstream'] as const)
describe(`business flows end to end (${bus} bus)`, () => {
  const nats = bus === 'jetstream' ? { url: 'nats://127.0.0.1:4222', stream: `E2E_${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}` } : undefined;
  let world: FlowWorld;
  const orders: string[] = [];
  const assignment = (id: string) => world.integration.flows.admin.order(id);
  const byWarehouse = () => {
    const groups: Record<string, string[]> = { 'wms-rest': [], 'wms-batch': [], 'edi-3pl': [] };
    for (const id of orders) groups[assignment(id)!.warehouseId].push(id);
    return groups;
  };
  /** Polls (and, with `windows`, runs the warehouses' batch windows) until `check` holds. */
  const settle = async (check: () => boolean | Promise<boolean>, what: string, { timeoutMs = 60_000, windows = true } = {}) =>
    eventually(async () => {
      // The warehouses' own batch windows keep running (a half-written file is finished by the next one).
      if (windows) for (const warehouse of Object.keys(world.control)) await world.sim(warehouse, 'process', {});
      // A round may meet a partner fault (a 429, a half-written file); the next round carries on.
      await world.integration.flows.pollNow().catch(() => undefined);
      return (await check()) || undefined;
    }, timeoutMs).catch(() => {
      const where = orders.map((id) => `${id}:${assignment(id)?.status}@${assignment(id)?.warehouseId}`).join(' ');
      const dead = world.integration.runtime.deadLetters.list({}).map((d) => [d.topic, d.correlationId, d.attempts.at(-1)?.message]);
      throw new Error(`not settled: ${what}; orders: ${where}; dead letters: ${JSON.stringify(dead)}`);
    });

  beforeAll(async () => {
    // One tracer provider per process (the API keeps the first); each run starts from no spans.
    spans ??= captureSpans();
    spans.reset();
    world = await startFlowWorld({ nats });
    await world.sim('wms-rest', 'faults', { burst429: 3, retryAfterSeconds: 1, duplicateRate: 0.5, duplicateCopies: 3, reorder: true });
    await world.sim('wms-batch', 'faults', { halfWritten: true });
    // Enough orders that every region, and so every warehouse, gets some.
    for (let round = 0; round < 10 && Object.values(orders.length ? byWarehouse() : {}).filter((g) => g.length >= 3).length < 3; round++) {
      orders.push(...(await world.createOrders(15)));
      await settle(() => orders.every((id) => assignment(id)?.status === 'sent'), 'every order sent', { windows: false });
    }
  }, 240_000);
  afterAll(async () => {
    await world?.stop();
    if (nats) {
      const admin = await JetStreamBus.connect({ url: nats.url, stream: nats.stream, subjectPrefix: nats.stream.toLowerCase() });
      await admin.destroy();
      await admin.close();
    }
  });

  it('delivers every released order to exactly one warehouse, once', async () => {
    const groups = byWarehouse();
    // The batch WMS and the 3PL take their inbox in on their next window.
    for (const warehouse of Object.keys(groups)) await world.sim(warehouse, 'process', {});
    for (const [warehouse, ids] of Object.entries(groups)) {
      expect(ids.length, `orders routed to ${warehouse}`).toBeGreaterThanOrEqual(3);
      const state = await world.sim<{ orders: Record<string, { received: number }>; received: { distinct: number } }>(warehouse, 'state');
      expect(Object.keys(state.orders).sort()).toEqual([...ids].sort());
      // The batch and X12 partners count each order file they got; the REST WMS de-duplicates on reference_id.
      if (warehouse !== 'wms-rest') for (const id of ids) expect(state.orders[id].received, `${id} at ${warehouse}`).toBe(1);
    }
  }, 30_000);

  it('acknowledges, ships (some short) and confirms every shipment in Odoo exactly once', async () => {
    const groups = byWarehouse();
    await settle(() => orders.every((id) => assignment(id)!.status !== 'sent'), 'every order acknowledged');
    const short = Object.values(groups).map((ids) => ids[0]);
    for (const [warehouse, ids] of Object.entries(groups)) for (const id of ids) await world.sim(warehouse, 'fulfil', { orderId: id, short: short.includes(id) });
    // An order whose only short line shipped nothing at all ends `short_shipped`: nothing left the warehouse.
    await settle(() => orders.every((id) => ['confirmed', 'short_shipped'].includes(assignment(id)!.status)), 'every shipment confirmed in Odoo', { timeoutMs: 90_000 });

    const pickings = await world.odooCall<{ origin: string; state: string; backorder_id: false | [number, string] }[]>('stock.picking', 'search_read', [[['picking_type_code', '=', 'outgoing'], ['origin', 'in', orders]]], { fields: ['origin', 'state', 'backorder_id'] });
    for (const id of orders) {
      const mine = pickings.filter((p) => p.origin === id);
      if (assignment(id)!.status === 'short_shipped') {
        expect(short).toContain(id);
        expect(mine.filter((p) => p.state === 'done'), `${id}: nothing shipped, nothing validated`).toHaveLength(0);
        continue;
      }
      expect(mine.filter((p) => p.state === 'done' && !p.backorder_id), `${id}: one validated delivery`).toHaveLength(1);
      // What was shipped short stays open in Odoo as a backorder of the delivery.
      expect(mine.filter((p) => p.backorder_id && p.state !== 'done' && p.state !== 'cancel').length, `${id}: backorder`).toBe(short.includes(id) ? 1 : 0);
    }
    expect(orders.filter((id) => assignment(id)!.status === 'confirmed').length).toBeGreaterThan(orders.length - short.length - 1);
    // Each short shipment is raised on its order for support, once.
    const raised = spans!.getFinishedSpans().filter((s) => s.name === 'order shipped short' && s.attributes[Attr.exceptionCategory] === 'inventory_mismatch');
    expect(raised.map((s) => String(s.attributes[Attr.correlationId])).sort()).toEqual([...short].sort());
    expect(world.integration.runtime.deadLetters.list({ status: 'open' }).filter((d) => d.topic !== 'inbound.rejected')).toEqual([]);
  }, 180_000);

  it('marks every milestone of an order on spans keyed by its correlation id, in order', () => {
    const confirmed = orders.filter((id) => assignment(id)!.status === 'confirmed');
    for (const id of confirmed) {
      const marked = spans!.getFinishedSpans().filter((s) => s.attributes[Attr.correlationId] === id && s.attributes[Attr.processMilestone]);
      for (const s of marked) expect(s.attributes[Attr.processName]).toBe('order_fulfillment');
      const firstAt = new Map<string, number>();
      for (const s of marked) {
        const m = String(s.attributes[Attr.processMilestone]);
        const at = s.startTime[0] * 1e3 + s.startTime[1] / 1e6;
        firstAt.set(m, Math.min(firstAt.get(m) ?? Infinity, at));
      }
      // Each milestone is marked once, in the process's order (times may tie at the clock's resolution).
      expect(marked.length, id).toBe(firstAt.size);
      for (const m of ['released', 'routed', 'sent_to_warehouse', 'shipped', 'confirmed_in_odoo']) expect([...firstAt.keys()], id).toContain(m);
      // acknowledged and picked may be missing: the X12 3PL reports no progress, and a reordered
      // webhook arriving after the shipment is stale, not a milestone.
      const reached = milestones.order_fulfillment.filter((m) => firstAt.has(m));
      for (let i = 1; i < reached.length; i++) expect(firstAt.get(reached[i])!, `${id}: ${reached[i - 1]} before ${reached[i]}`).toBeGreaterThanOrEqual(firstAt.get(reached[i - 1])!);
      expect(marked.find((s) => s.attributes[Attr.processMilestone] === 'confirmed_in_odoo')!.attributes[Attr.warehouseId]).toBe(assignment(id)!.warehouseId);
    }
  });

  it('turns returns into validated Odoo return pickings', async () => {
    const groups = byWarehouse();
    const returned = Object.entries(groups).map(([warehouse, ids]) => ({ warehouse, orderId: ids[1] }));
    const rmas: string[] = [];
    for (const r of returned) rmas.push((await world.sim<{ returnId: string }>(r.warehouse, 'return', { orderId: r.orderId })).returnId);
    await settle(async () => {
      const done = await world.odooCall<{ origin: string }[]>('stock.picking', 'search_read', [[['picking_type_code', '=', 'incoming'], ['state', '=', 'done']]], { fields: ['origin'] });
      return rmas.every((rma) => done.some((p) => p.origin.includes(`[${rma}]`)));
    }, 'every return received in Odoo');
  }, 90_000);

  it('reroutes an order not yet shipped to another warehouse, keeping its correlation id', async () => {
    const [moved] = await world.createOrders(1);
    orders.push(moved);
    await settle(() => assignment(moved)?.status === 'sent', 'the new order sent', { windows: false });
    const from = assignment(moved)!.warehouseId;
    const to = ['wms-rest', 'edi-3pl', 'wms-batch'].find((w) => w !== from)!;
    const reroute = (key: string) =>
      fetch(`${world.adminUrl}/admin/v1/transactions/${moved}/reroute`, {
        method: 'POST',
        headers: { authorization: `Bearer ${world.adminToken}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ warehouseId: to, reason: 'warehouse backlog', actor: 'approver@example.com' }),
      });
    const first = await reroute('proposal-0001');
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ outcome: 'accepted', from, to });
    await settle(async () => assignment(moved)?.warehouseId === to && assignment(moved)?.status !== 'routed' && moved in (await world.sim<{ orders: Record<string, unknown> }>(to, 'state')).orders, 'the order released at its new warehouse');
    expect(assignment(moved)!.rerouteReason).toContain('warehouse backlog');
    // Cancelled at the first warehouse (at once over REST; requested by file or 940 elsewhere).
    const old = await world.sim<{ orders: Record<string, { status: string }> }>(from, 'state');
    if (from === 'wms-rest') expect(old.orders[moved].status).toBe('Cancelled');
    const wrongWarehouse = await reroute('proposal-0002').then(() =>
      fetch(`${world.adminUrl}/admin/v1/transactions/${moved}/reroute`, {
        method: 'POST',
        headers: { authorization: `Bearer ${world.adminToken}`, 'content-type': 'application/json', 'idempotency-key': 'proposal-0003' },
        body: JSON.stringify({ warehouseId: 'nowhere', reason: 'typo' }),
      }),
    );
    expect(wrongWarehouse.status).toBe(422);
    // What the console's transaction page reads from the runtime: the assignment and the ledger's payload excerpts.
    const seen = await readRuntimeTransaction({ host: '127.0.0.1', adminPort: Number(new URL(world.adminUrl).port), adminToken: world.adminToken } as RuntimeConfig, moved);
    expect(seen.order).toMatchObject({ warehouseId: to, reroutedFrom: from });
    // One of the two warehouses speaks files, whose messages the ledger keeps: the 940 or the CSV order, with its payload.
    expect(seen.messages.some((m) => m.direction === 'out' && m.payloadExcerpt.includes(moved))).toBe(true);
    for (const m of seen.messages) expect(m.payloadExcerpt.length).toBeLessThanOrEqual(2_000);
    // Ship it from the new warehouse so reconciliation meets no shipment in flight.
    await world.sim(to, 'process', {});
    await world.sim(to, 'fulfil', { orderId: moved });
    await settle(() => assignment(moved)?.status === 'confirmed', 'the rerouted order confirmed');
  }, 90_000);

  it('keeps an order for a SKU no warehouse knows as a master-data dead letter, sending it nowhere', async () => {
    const [units] = await world.odooCall<number[]>('uom.uom', 'search', [[['name', '=', 'Units']]]);
    const template = await world.odooCall<number>('product.template', 'create', [{ name: 'Garden Kneeler Pad', default_code: 'ACM-9999', uom_id: units, type: 'product', sale_ok: true }]);
    const [product] = await world.odooCall<number[]>('product.product', 'search', [[['product_tmpl_id', '=', template]]]);
    const [partner] = await world.odooCall<number[]>('res.partner', 'search', [[['name', '=', 'Acme Hardware']]]);
    const id = await world.odooCall<number>('sale.order', 'create', [{ partner_id: partner, order_line: [[0, 0, { product_id: product, product_uom_qty: 2 }]] }]);
    await world.odooCall('sale.order', 'action_confirm', [[id]]);
    const [{ name }] = await world.odooCall<{ name: string }[]>('sale.order', 'read', [[id]], { fields: ['name'] });
    const dead = await settle(() => world.integration.runtime.deadLetters.list({ correlationId: name }).length > 0, 'the order dead-lettered', { windows: false }).then(
      () => world.integration.runtime.deadLetters.list({ correlationId: name })[0],
    );
    expect(dead).toMatchObject({ topic: 'orders.released', category: 'master_data_mismatch', reason: 'permanent' });
    expect(dead.attempts.at(-1)!.message).toContain('ACM-9999');
    expect(assignment(name)).toBeUndefined();
  }, 60_000);

  it('reconciles: every difference is raised, and afterwards Odoo holds what each warehouse counts', async () => {
    // A silent failure: a stock change at one warehouse that nobody reported.
    await world.sim('edi-3pl', 'stock', { sku: world.topology.warehouses.find((w) => w.id === 'edi-3pl')!.mapping.items[0].partnerSku, delta: -7 });
    const started = await fetch(`${world.adminUrl}/admin/v1/reconciliation/runs`, { method: 'POST', headers: { authorization: `Bearer ${world.adminToken}`, 'content-type': 'application/json' }, body: '{}' });
    expect(started.status).toBe(202);
    const { runId } = (await started.json()) as { runId: string };
    const run = await eventually(() => {
      const r = world.integration.flows.admin.reconciliation(runId);
      return r?.status === 'finished' ? r : undefined;
    }, 60_000);
    const stockDifferences = run.differences.filter((d) => d.kind === 'stock');
    expect(stockDifferences.some((d) => d.warehouseId === 'edi-3pl' && d.corrected)).toBe(true);
    expect(run.differences.filter((d) => d.kind === 'warehouse_unreachable')).toEqual([]);

    const odoo = (await world.integration.connectors.odoo.readInventory()).items;
    for (const w of world.topology.warehouses) {
      const counts = await world.integration.connectors.warehouses.get(w.id)!.fetchInventory();
      for (const count of counts) {
        const inOdoo = odoo.filter((p) => p.warehouseId === w.odooCode && p.sku === count.sku).reduce((sum, p) => sum.plus(p.onHand), new Decimal(0));
        expect(inOdoo.toFixed(), `${count.sku} at ${w.id}`).toBe(new Decimal(count.onHand).toFixed());
      }
    }
  }, 90_000);
});
