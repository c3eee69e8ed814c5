import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { JetStreamBus } from '../../../src/lib/integration/bus';
import { DeadLetterStore } from '../../../src/lib/integration/delivery';
import { OrderBook } from '../../../src/lib/integration/flows/order-book';
import { openRuntimeDb, runtimeDbPath, type RuntimeDb } from '../../../src/lib/integration/store/runtime-db';
import { freePort } from '../../support/cli';
import { startPartners, type Partners } from '../../support/flow-world';
import { eventually } from '../../support/runtime-parts';

/**
 * Two runtime processes share one data directory and one JetStream stream (the real nats-server
 * on 127.0.0.1:4222), as `docs/deploy.md` describes: both work the bus, one runs the sources.
 * One is killed -9 with work in flight; the other takes over its sources and its unacknowledged
 * deliveries, and every order's effects land exactly once at the partners.
 */
const fixture = fileURLToPath(new URL('../fixtures/scale-out-runtime.ts', import.meta.url));
const stream = `SCALE_${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;
const dir = mkdtempSync(join(tmpdir(), 'crossdock-scale-out-'));
const children: ChildProcess[] = [];
let partners: Partners | undefined;
let db: RuntimeDb | undefined;

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await partners?.close();
  db?.close();
  const admin = await JetStreamBus.connect({ url: 'nats://127.0.0.1:4222', stream, subjectPrefix: stream.toLowerCase() });
  await admin.destroy();
  await admin.close();
  rmSync(dir, { recursive: true, force: true });
});

interface RuntimeProcess {
  child: ChildProcess;
  health(): Promise<{ process: { pid: number; deliveries: Record<string, number>; sources: { held: boolean; heldBy?: string } | null } }>;
}

async function startRuntimeProcess(webhookPort: number, adminToken: string): Promise<RuntimeProcess> {
  const adminPort = await freePort();
  const { secrets } = partners!;
  const env = {
    CROSSDOCK_DATA_DIR: join(dir, 'runtime'),
    CROSSDOCK_ADMIN_PORT: String(adminPort),
    CROSSDOCK_WEBHOOK_PORT: String(webhookPort),
    CROSSDOCK_ADMIN_TOKEN: adminToken,
    CROSSDOCK_ODOO_POLL_MS: '200',
    CROSSDOCK_SOURCE_LEASE_MS: '2000',
    NATS_URL: 'nats://127.0.0.1:4222',
    CROSSDOCK_NATS_STREAM: stream,
    ODOO_URL: partners!.odooUrl,
    ODOO_API_KEY: secrets.odooApiKey,
    ODOO_VERSION: '17',
    WMS_REST_URL: partners!.control['wms-rest'],
    WMS_REST_API_KEY: secrets.wmsKey,
    WMS_REST_WEBHOOK_SECRET: secrets.webhookSecret,
    WMS_BATCH_SFTP_URL: `sftp://crossdock@127.0.0.1:${partners!.sftpPorts['wms-batch']}`,
    WMS_BATCH_SFTP_PASSWORD: secrets.password,
    EDI_3PL_SFTP_URL: `sftp://crossdock@127.0.0.1:${partners!.sftpPorts['edi-3pl']}`,
    EDI_3PL_SFTP_PASSWORD: secrets.password,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, JSON.stringify(env)], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`runtime exited with ${code} before it was ready`)));
  });
  return {
    child,
    async health() {
      const response = await fetch(`http://127.0.0.1:${adminPort}/admin/v1/health`, { headers: { authorization: `Bearer ${adminToken}` } });
      return (await response.json()) as Awaited<ReturnType<RuntimeProcess['health']>>;
    },
  };
}

const sim = async <T>(warehouse: string, path: string, body?: unknown): Promise<T> => {
  const response = await fetch(`${partners!.control[warehouse]}/_sim/${path}`, { method: body === undefined ? 'GET' : 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${warehouse} /_sim/${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};
const createOrders = async (count: number) => {
  const response = await fetch(`${partners!.odooUrl}/_sim/orders`, { method: 'POST', body: JSON.stringify({ count }) });
  return ((await response.json()) as { orders: string[] }).orders;
};
const odooCall = async <T>(model: string, method: string, args: unknown[], kwargs: Record<string, unknown>) => {
  const response = await fetch(`${partners!.odooUrl}/jsonrpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, params: { service: 'object', method: 'execute_kw', args: ['crossdock', 2, partners!.secrets.odooApiKey, model, method, args, kwargs] } }),
  });
  return ((await response.json()) as { result: T }).result;
};

it('two runtimes share the work; when one is killed -9 the other takes over, and every effect lands once', { timeout: 240_000 }, async () => {
  // Warehouse webhooks go to the runtime that survives; a load balancer would send them to either.
  const survivorWebhookPort = await freePort();
  partners = await startPartners({ dir: join(dir, 'partners'), webhookUrl: `http://127.0.0.1:${survivorWebhookPort}/webhooks/wms-rest` });
  const adminToken = randomUUID();
  const first = await startRuntimeProcess(await freePort(), adminToken);
  const second = await startRuntimeProcess(survivorWebhookPort, adminToken);
  expect((await first.health()).process.sources?.held).toBe(true);
  expect((await second.health()).process.sources).toMatchObject({ held: false });

  db = openRuntimeDb(runtimeDbPath(join(dir, 'runtime')));
  const book = new OrderBook(db);
  const statusOf = (id: string) => book.get(id)?.status;
  const orders = await createOrders(24);
  // Both processes take deliveries from the shared stream.
  const shares = await eventually(async () => {
    const [a, b] = await Promise.all([first.health(), second.health()]);
    return a.process.deliveries.success > 0 && b.process.deliveries.success > 0 && [a.process.deliveries.success, b.process.deliveries.success];
  }, 60_000);
  expect(shares.every((n) => n > 0)).toBe(true);

  first.child.kill('SIGKILL');
  await new Promise((resolve) => first.child.once('exit', resolve));
  // The survivor takes the sources over once the lease expires, and polls Odoo for the orders released after the kill.
  await eventually(async () => (await second.health()).process.sources?.held, 15_000);
  orders.push(...(await createOrders(24)));

  const settle = (check: () => boolean, what: string, timeoutMs = 90_000) =>
    eventually(async () => {
      for (const warehouse of Object.keys(partners!.control)) await sim(warehouse, 'process', {});
      return check() || undefined;
    }, timeoutMs).catch(() => {
      throw new Error(`not settled: ${what}: ${orders.map((id) => `${id}:${statusOf(id)}@${book.get(id)?.warehouseId}`).join(' ')}`);
    });
  await settle(() => orders.every((id) => statusOf(id) !== undefined && !['routed', 'sent'].includes(statusOf(id)!)), 'every order acknowledged');
  for (const id of orders) await sim(book.get(id)!.warehouseId, 'fulfil', { orderId: id });
  await settle(() => orders.every((id) => statusOf(id) === 'confirmed'), 'every shipment confirmed in Odoo');

  // Exactly once in effect: one order per reference at its warehouse (one order file for the
  // file-based partners), one validated delivery per order in Odoo, nothing dead-lettered.
  const byWarehouse = new Map<string, string[]>();
  for (const id of orders) byWarehouse.set(book.get(id)!.warehouseId, [...(byWarehouse.get(book.get(id)!.warehouseId) ?? []), id]);
  for (const [warehouse, ids] of byWarehouse) {
    const state = await sim<{ orders: Record<string, { received: number }> }>(warehouse, 'state');
    expect(Object.keys(state.orders).sort(), warehouse).toEqual([...ids].sort());
    if (warehouse !== 'wms-rest') for (const id of ids) expect(state.orders[id].received, `${id} at ${warehouse}`).toBe(1);
  }
  const pickings = await odooCall<{ origin: string; state: string }[]>('stock.picking', 'search_read', [[['picking_type_code', '=', 'outgoing'], ['origin', 'in', orders]]], { fields: ['origin', 'state'] });
  for (const id of orders) expect(pickings.filter((p) => p.origin === id && p.state === 'done'), `${id}: validated deliveries`).toHaveLength(1);
  expect(new DeadLetterStore(db).list({ status: 'open' })).toEqual([]);
  const survivor = await second.health();
  expect(survivor.process.deliveries.success).toBeGreaterThan(shares[1]);
});
