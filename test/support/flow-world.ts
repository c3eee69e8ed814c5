import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulatorStock } from '../../simulators/demo/opening-stock';
import { startEdi3plSimulator } from '../../simulators/edi-3pl';
import { startOdooSimulator } from '../../simulators/odoo';
import { startWmsBatchSimulator } from '../../simulators/wms-batch';
import { startWmsRestSimulator } from '../../simulators/wms-rest';
import { loadConfig } from '../../src/lib/config';
import { startIntegration, type Integration, type IntegrationOptions } from '../../src/lib/integration/runtime';
import { loadTopology, type Topology } from '../../src/lib/integration/topology';
import { freePort } from './cli';

/** The simulators' control planes, by topology warehouse id, plus Odoo. */
export interface FlowWorld {
  dir: string;
  odooUrl: string;
  topology: Topology;
  /** `/_sim/*` base URL per warehouse id. */
  control: Record<string, string>;
  integration: Integration;
  adminUrl: string;
  adminToken: string;
  /** Every secret the runtime was given, for tests that look for them where they must not be. */
  secrets: Record<string, string>;
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
  /** With `autoAdvanceMs`: the REST WMS only acknowledges on its own. */
  autoAcknowledgeOnly?: boolean;
  /** Run the bus on NATS JetStream instead of the embedded SQLite bus. */
  nats?: { url: string; stream: string };
  /** Odoo posts an automation-rule webhook for every sale.order change, so the runtime reads at once instead of at the next poll. */
  odooWebhooks?: boolean;
  /** Run the partners in a child process (benchmarks); in this process by default (tests). */
  partnersInChildProcess?: boolean;
  /** Retry budgets per service class, e.g. short ones so a failing partner dead-letters within seconds. */
  classes?: IntegrationOptions['classes'];
}

const TOPOLOGY = 'config/topology/topology.json';

/**
 * The whole chain on loopback, in this process: the Odoo simulator, the three warehouse
 * simulators seeded with Odoo's own opening stock (`simulators/demo/opening-stock.ts`, so both
 * sides start equal), and the integration (runtime, flows,
 * webhook port, admin API) configured exactly as `crossdock runtime` would be from the environment.
 */
export async function startFlowWorld(options: FlowWorldOptions = {}): Promise<FlowWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-world-'));
  const topology = loadTopology(TOPOLOGY);
  const webhookPort = await freePort();
  const adminPort = await freePort();
  const adminToken = randomBytes(24).toString('base64url');
  const partners = options.partnersInChildProcess
    ? await startPartnersProcess({ dir: join(dir, 'partners'), webhookUrl: `http://127.0.0.1:${webhookPort}/webhooks/wms-rest`, autoAdvanceMs: options.autoAdvanceMs, autoAcknowledgeOnly: options.autoAcknowledgeOnly })
    : await startPartners({ dir: join(dir, 'partners'), webhookUrl: `http://127.0.0.1:${webhookPort}/webhooks/wms-rest`, autoAdvanceMs: options.autoAdvanceMs, autoAcknowledgeOnly: options.autoAcknowledgeOnly });
  const { secrets } = partners;
  const odooWebhookSecret = options.odooWebhooks ? randomBytes(18).toString('base64url') : undefined;
  if (odooWebhookSecret) {
    // What an Odoo admin sets up: an automation rule on sale.order with a "Send Webhook Notification" action.
    const rule = await fetch(`${partners.odooUrl}/_sim/webhooks`, { method: 'POST', body: JSON.stringify({ url: `http://127.0.0.1:${webhookPort}/webhooks/odoo/${odooWebhookSecret}`, model: 'sale.order', fields: ['state'] }) });
    if (!rule.ok) throw new Error(`could not add the Odoo webhook rule: ${rule.status} ${await rule.text()}`);
  }

  const config = loadConfig({
    CROSSDOCK_DATA_DIR: join(dir, 'runtime'),
    CROSSDOCK_ADMIN_PORT: String(adminPort),
    CROSSDOCK_WEBHOOK_PORT: String(webhookPort),
    CROSSDOCK_ADMIN_TOKEN: adminToken,
    CROSSDOCK_TOPOLOGY_FILE: TOPOLOGY,
    CROSSDOCK_ODOO_POLL_MS: String(options.odooPollMs ?? 100),
    ODOO_URL: partners.odooUrl,
    ODOO_API_KEY: secrets.odooApiKey,
    ODOO_VERSION: '17',
    ...(odooWebhookSecret ? { ODOO_WEBHOOK_SECRET: odooWebhookSecret } : {}),
    ...(options.nats ? { NATS_URL: options.nats.url, CROSSDOCK_NATS_STREAM: options.nats.stream } : {}),
    WMS_REST_URL: partners.control['wms-rest'],
    WMS_REST_API_KEY: secrets.wmsKey,
    WMS_REST_WEBHOOK_SECRET: secrets.webhookSecret,
    WMS_BATCH_SFTP_URL: `sftp://crossdock@127.0.0.1:${partners.sftpPorts['wms-batch']}`,
    WMS_BATCH_SFTP_PASSWORD: secrets.password,
    EDI_3PL_SFTP_URL: `sftp://crossdock@127.0.0.1:${partners.sftpPorts['edi-3pl']}`,
    EDI_3PL_SFTP_PASSWORD: secrets.password,
  });
  const integration = await startIntegration({ config, schedule: false, onError: () => undefined, graceMs: 2_000, classes: options.classes });
  const { control } = partners;

  const odooCall = async <T>(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => {
    const res = await fetch(`${partners.odooUrl}/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, params: { service: 'object', method: 'execute_kw', args: ['crossdock', 2, secrets.odooApiKey, model, method, args, kwargs] } }),
    });
    const json = (await res.json()) as { result?: T; error?: { message: string; data?: { message?: string } } };
    if (json.error) throw new Error(`${model}.${method}: ${json.error.data?.message ?? json.error.message}`);
    return json.result as T;
  };

  return {
    dir,
    odooUrl: partners.odooUrl,
    topology,
    control,
    integration,
    adminUrl: integration.runtime.admin.url,
    adminToken,
    secrets: { ...secrets, adminToken, ...(odooWebhookSecret ? { odooWebhookSecret } : {}) },
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
      const res = await fetch(`${partners.odooUrl}/_sim/orders`, { method: 'POST', body: JSON.stringify({ count }) });
      return ((await res.json()) as { orders: string[] }).orders;
    },
    odooCall,
    async stop() {
      await integration.stop();
      await partners.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Where the partners listen and the secrets they were started with. */
export interface Partners {
  odooUrl: string;
  /** `/_sim/*` base URL per warehouse id (the REST WMS's API too). */
  control: Record<string, string>;
  sftpPorts: Record<'wms-batch' | 'edi-3pl', number>;
  secrets: { odooApiKey: string; wmsKey: string; webhookSecret: string; password: string };
  close(): Promise<void>;
}

/** Odoo and the three warehouse simulators, each warehouse seeded with what Odoo holds for it (the demo world's opening stock). */
export async function startPartners(options: { dir: string; webhookUrl: string; autoAdvanceMs?: number; autoAcknowledgeOnly?: boolean }): Promise<Partners> {
  const topology = loadTopology(TOPOLOGY);
  const secrets = { odooApiKey: randomBytes(20).toString('hex'), wmsKey: randomBytes(16).toString('hex'), webhookSecret: `whsec_${randomBytes(24).toString('base64')}`, password: randomBytes(9).toString('base64url') };
  const odoo = await startOdooSimulator({ dataDir: join(options.dir, 'odoo'), port: 0, version: 17, database: 'crossdock', login: 'admin', apiKey: secrets.odooApiKey });
  const rest = await startWmsRestSimulator({
    port: 0,
    apiKey: secrets.wmsKey,
    webhookSecret: secrets.webhookSecret,
    webhookUrl: options.webhookUrl,
    stock: simulatorStock.wmsRest(topology),
    autoAdvanceMs: options.autoAdvanceMs,
    autoAcknowledgeOnly: options.autoAcknowledgeOnly,
  });
  const batch = await startWmsBatchSimulator({ dir: join(options.dir, 'wms-batch'), sftpPort: 0, controlPort: 0, username: 'crossdock', password: secrets.password, stock: simulatorStock.withUnits(topology, 'wms-batch') });
  const edi = await startEdi3plSimulator({ dir: join(options.dir, 'edi-3pl'), sftpPort: 0, controlPort: 0, username: 'crossdock', password: secrets.password, threePlId: 'EDI3PL', depositorId: 'CROSSDOCK', stock: simulatorStock.withUnits(topology, 'edi-3pl') });
  return {
    odooUrl: odoo.url,
    control: { 'wms-rest': rest.url, 'wms-batch': batch.controlUrl, 'edi-3pl': edi.controlUrl },
    sftpPorts: { 'wms-batch': batch.sftpPort, 'edi-3pl': edi.sftpPort },
    secrets,
    async close() {
      await Promise.allSettled([rest.close(), batch.close(), edi.close(), odoo.close()]);
    },
  };
}

/**
 * The partners in a child process (`partners-host.ts`), so they use the other core, as they
 * would use other machines: for benchmarks, where sharing one event loop would measure the
 * simulators as much as the runtime.
 */
async function startPartnersProcess(options: { dir: string; webhookUrl: string; autoAdvanceMs?: number; autoAcknowledgeOnly?: boolean }): Promise<Partners> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'partners-host.ts'), JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      if (buffered.includes('\n')) resolve(buffered.slice(0, buffered.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`partners process exited with ${code}`)));
  });
  const started = JSON.parse(line) as Omit<Partners, 'close'>;
  return {
    ...started,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
