import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEdi3plSimulator } from '../../simulators/edi-3pl';
import { startOdooSimulator, type OdooSimulator } from '../../simulators/odoo';
import { startWmsBatchSimulator } from '../../simulators/wms-batch';
import { startWmsRestSimulator } from '../../simulators/wms-rest';
import { loadConfig } from '../../src/lib/config';
import type { InventoryPosition } from '../../src/lib/integration/canonical';
import { OdooConnector } from '../../src/lib/integration/connectors/odoo';
import { startIntegration, type Integration } from '../../src/lib/integration/runtime';
import { openRuntimeDb } from '../../src/lib/integration/store/runtime-db';
import { loadTopology, type Topology } from '../../src/lib/integration/topology';
import { freePort } from './cli';

/** The simulators' control planes, by topology warehouse id, plus Odoo. */
export interface FlowWorld {
  dir: string;
  odoo: OdooSimulator;
  topology: Topology;
  /** `/_sim/*` base URL per warehouse id. */
  control: Record<string, string>;
  integration: Integration;
  adminUrl: string;
  adminToken: string;
  /** Calls a simulator's control plane (`sim('wms-rest', 'process', {})`). */
  sim<T = Record<string, unknown>>(warehouseId: string, path: string, body?: unknown): Promise<T>;
  /** Creates released orders in Odoo, as salespeople would. */
  createOrders(count: number): Promise<string[]>;
  /** Odoo's JSON-RPC `execute_kw`, as the integration user. */
  odooCall<T = unknown>(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

export interface FlowWorldOptions {
  /** Odoo poll interval, in ms. @defaultValue 100 */
  odooPollMs?: number;
  /** Warehouse simulators advance orders on their own (demo traffic); tests drive them explicitly. */
  autoAdvanceMs?: number;
}

const TOPOLOGY = 'config/topology/topology.json';

/**
 * The whole chain on loopback, in this process: the Odoo simulator, the three warehouse
 * simulators seeded with Odoo's own opening stock (read through Odoo's API and translated with
 * each warehouse's mapping, so both sides start equal), and the integration (runtime, flows,
 * webhook port, admin API) configured exactly as `crossdock runtime` would be from the environment.
 */
export async function startFlowWorld(options: FlowWorldOptions = {}): Promise<FlowWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-world-'));
  const topology = loadTopology(TOPOLOGY);
  const apiKey = randomBytes(20).toString('hex');
  const wmsKey = randomBytes(16).toString('hex');
  const webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;
  const password = randomBytes(9).toString('base64url');
  const [webhookPort, adminPort] = [await freePort(), await freePort()];
  const adminToken = randomBytes(24).toString('base64url');

  const odoo = await startOdooSimulator({ dataDir: join(dir, 'odoo'), port: 0, version: 17, database: 'crossdock', login: 'admin', apiKey });
  const stock = await openingStock(odoo.url, apiKey, join(dir, 'probe.db'));
  const partnerStock = (warehouseId: string) => {
    const w = topology.warehouses.find((x) => x.id === warehouseId)!;
    const odooCode = w.odooCode;
    const out: Record<string, { qty: number; uom: string }> = {};
    for (const p of stock.filter((s) => s.warehouseId === odooCode)) {
      const item = w.mapping.items.find((i) => i.sku === p.sku);
      if (item) out[item.partnerSku] = { qty: Number(p.onHand), uom: item.partnerUnitLabel };
    }
    return out;
  };
  const rest = await startWmsRestSimulator({
    port: 0,
    apiKey: wmsKey,
    webhookSecret,
    webhookUrl: `http://127.0.0.1:${webhookPort}/webhooks/wms-rest`,
    stock: Object.fromEntries(Object.entries(partnerStock('wms-rest')).map(([sku, s]) => [sku, s.qty])),
    autoAdvanceMs: options.autoAdvanceMs,
  });
  const batch = await startWmsBatchSimulator({ dir: join(dir, 'wms-batch'), sftpPort: 0, controlPort: 0, username: 'crossdock', password, stock: partnerStock('wms-batch') });
  const edi = await startEdi3plSimulator({ dir: join(dir, 'edi-3pl'), sftpPort: 0, controlPort: 0, username: 'crossdock', password, threePlId: 'EDI3PL', depositorId: 'CROSSDOCK', stock: partnerStock('edi-3pl') });

  const config = loadConfig({
    CROSSDOCK_DATA_DIR: join(dir, 'runtime'),
    CROSSDOCK_ADMIN_PORT: String(adminPort),
    CROSSDOCK_WEBHOOK_PORT: String(webhookPort),
    CROSSDOCK_ADMIN_TOKEN: adminToken,
    CROSSDOCK_TOPOLOGY_FILE: TOPOLOGY,
    CROSSDOCK_ODOO_POLL_MS: String(options.odooPollMs ?? 100),
    ODOO_URL: odoo.url,
    ODOO_API_KEY: apiKey,
    ODOO_VERSION: '17',
    WMS_REST_URL: rest.url,
    WMS_REST_API_KEY: wmsKey,
    WMS_REST_WEBHOOK_SECRET: webhookSecret,
    WMS_BATCH_SFTP_URL: `sftp://crossdock@127.0.0.1:${batch.sftpPort}`,
    WMS_BATCH_SFTP_PASSWORD: password,
    EDI_3PL_SFTP_URL: `sftp://crossdock@127.0.0.1:${edi.sftpPort}`,
    EDI_3PL_SFTP_PASSWORD: password,
  });
  const integration = await startIntegration({ config, schedule: false, onError: () => undefined, graceMs: 2_000 });
  const control: Record<string, string> = { 'wms-rest': rest.url, 'wms-batch': batch.controlUrl, 'edi-3pl': edi.controlUrl };

  const odooCall = async <T>(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => {
    const res = await fetch(`${odoo.url}/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, params: { service: 'object', method: 'execute_kw', args: ['crossdock', 2, apiKey, model, method, args, kwargs] } }),
    });
    const json = (await res.json()) as { result?: T; error?: { message: string; data?: { message?: string } } };
    if (json.error) throw new Error(`${model}.${method}: ${json.error.data?.message ?? json.error.message}`);
    return json.result as T;
  };

  return {
    dir,
    odoo,
    topology,
    control,
    integration,
    adminUrl: integration.runtime.admin.url,
    adminToken,
    async sim<T>(warehouseId: string, path: string, body?: unknown) {
      const response = await fetch(`${control[warehouseId]}/_sim/${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await response.json()) as T;
      if (!response.ok) throw new Error(`${warehouseId} /_sim/${path} answered ${response.status}: ${JSON.stringify(json)}`);
      return json;
    },
    async createOrders(count) {
      const res = await fetch(`${odoo.url}/_sim/orders`, { method: 'POST', body: JSON.stringify({ count }) });
      return ((await res.json()) as { orders: string[] }).orders;
    },
    odooCall,
    async stop() {
      await integration.stop();
      await Promise.allSettled([rest.close(), batch.close(), edi.close(), odoo.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Odoo's stock now, read through its external API like any client. */
async function openingStock(url: string, apiKey: string, dbPath: string): Promise<InventoryPosition[]> {
  const db = openRuntimeDb(dbPath);
  try {
    const connector = new OdooConnector({ endpoint: { url, database: 'crossdock', login: 'admin', apiKey, timeoutMs: 10_000 }, db, version: 17 });
    return (await connector.readInventory()).items;
  } finally {
    db.close();
  }
}
