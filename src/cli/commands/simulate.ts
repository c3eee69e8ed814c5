import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Config } from '../../lib/config';
import { loadTopology, type Topology } from '../../lib/integration/topology';
import { simulatorStock } from '../../../simulators/demo/opening-stock';
import { startOdooSimulator } from '../../../simulators/odoo';
import { startEdi3plSimulator } from '../../../simulators/edi-3pl';
import { startWmsBatchSimulator } from '../../../simulators/wms-batch';
import { startWmsRestSimulator } from '../../../simulators/wms-rest';
import { startSmtpCatcher } from '../../../simulators/smtp-catcher';
import { untilSignal } from '../until-signal';
import { CommandError, UsageError } from '../usage';
import type { Command } from './index';

/** A simulator as `crossdock simulate` runs it. */
export interface RunningSimulator {
  /** Lines printed once it listens: where it is and how to use it. */
  banner: string[];
  close(): Promise<void>;
}

/** How to start one simulator from the configuration and the command's flags. */
export interface SimulatorEntry {
  summary: string;
  /** Port used when `--port` is not given (the README's default addresses). */
  defaultPort: number;
  /** Started only when named: `simulate` without a name leaves it out (the SMTP catcher is for demo mode). */
  onlyWhenNamed?: boolean;
  start(context: { config: Config; port: number; flags: Record<string, unknown> }): Promise<RunningSimulator>;
}

const topologies = new Map<string, Topology>();

/**
 * The business topology the runtime reads (CROSSDOCK_TOPOLOGY_FILE): the warehouse simulators
 * start with the stock Odoo holds for the warehouse it pairs them with, in their own codes.
 */
function topologyOf(config: Config): Topology {
  const file = config.runtime.topologyFile;
  let topology = topologies.get(file);
  if (!topology) {
    try {
      topology = loadTopology(file);
    } catch (error) {
      throw new CommandError(`the simulators' opening stock comes from the topology, which could not be read: ${(error as Error).message}`, { cause: error });
    }
    topologies.set(file, topology);
  }
  return topology;
}

/** The topology's warehouse this dialect's simulator stands for; none means it starts empty. */
function demoWarehouse(config: Config, dialect: string): string | undefined {
  return topologyOf(config).warehouses.find((w) => w.dialect === dialect)?.id;
}

/** Where `crossdock simulate` serves the control planes that are not on the simulator's own port. */
export const controlPorts = { 'wms-batch': 9102, 'edi-3pl': 9103, 'smtp-catcher': 9104 } as const;

/**
 * The simulators `crossdock simulate` knows, by name. A new one (wms-rest, wms-batch, edi-3pl)
 * plugs in with one entry here; `simulate` with no name starts every entry.
 */
export const simulators: Record<string, SimulatorEntry> = {
  odoo: {
    summary: 'Odoo 17 (JSON-RPC, XML-RPC, web session; JSON-2 with --odoo-version 19)',
    defaultPort: 8069,
    async start({ config, port, flags }) {
      const version = flags['odoo-version'] === undefined ? 17 : Number(flags['odoo-version']);
      if (![17, 18, 19].includes(version)) throw new UsageError(`crossdock simulate: --odoo-version must be 17, 18 or 19, not "${String(flags['odoo-version'])}"`);
      const ordersPerHour = flags['orders-per-hour'] === undefined ? 20 : Number(flags['orders-per-hour']);
      if (!Number.isFinite(ordersPerHour) || ordersPerHour < 0) throw new UsageError('crossdock simulate: --orders-per-hour must be a number of orders, 0 or more');
      const sim = await startOdooSimulator({
        dataDir: join(config.paths.dataDir, 'simulators', 'odoo'),
        port,
        version: version as 17 | 18 | 19,
        database: config.odoo.database,
        login: config.odoo.login,
        // The runtime and the simulator agree on the key through ODOO_API_KEY; unset, the simulator keeps its own.
        apiKey: config.odoo.apiKey,
        // Distribution-day curve in Chicago time; the base rate is the quietest working hour's.
        generator: ordersPerHour > 0 ? { baseOrdersPerHour: ordersPerHour, utcOffsetHours: -6 } : false,
      });
      return {
        banner: [
          `odoo      ${sim.url}  Odoo ${version}.0, database ${sim.odoo.database}, login ${sim.odoo.login} / password admin`,
          `odoo      API key ${sim.odoo.apiKey}${config.odoo.apiKey ? ' (from ODOO_API_KEY)' : ' (set ODOO_API_KEY to choose it)'}`,
          `odoo      ${ordersPerHour > 0 ? `generating orders (${ordersPerHour}/h at the quietest hour, peaks before 11:00 and 15:00)` : 'no generated orders'}; faults: POST ${sim.url}/_sim/faults`,
        ],
        close: () => sim.close(),
      };
    },
  },
  'wms-rest': {
    summary: 'REST+webhook WMS (API key or OAuth2, cursor pages, 429s, Standard Webhooks)',
    defaultPort: 9101,
    async start({ config, port, flags }) {
      const w = config.warehouses.wmsRest;
      const warehouseId = demoWarehouse(config, 'wms-rest');
      // Where the runtime takes this WMS's webhooks, unless told otherwise.
      const webhookUrl = flags['webhook-url'] === undefined ? `http://${config.runtime.host}:${config.runtime.webhookPort}/webhooks/wms-rest` : String(flags['webhook-url']);
      if (!URL.canParse(webhookUrl)) throw new UsageError(`crossdock simulate: --webhook-url must be a URL, not "${webhookUrl}"`);
      // Without configured secrets the simulator makes its own and prints them, like a sandbox account.
      const apiKey = w.apiKey ?? randomBytes(18).toString('base64url');
      const webhookSecret = w.webhookSecret ?? `whsec_${randomBytes(24).toString('base64')}`;
      const sim = await startWmsRestSimulator({
        port,
        stateFile: join(config.paths.dataDir, 'simulators', 'wms-rest', 'state.json'),
        apiKey,
        clientId: w.oauth2?.clientId,
        clientSecret: w.oauth2?.clientSecret,
        webhookSecret,
        webhookUrl,
        stock: warehouseId ? simulatorStock.wmsRest(topologyOf(config), warehouseId) : {},
        autoAdvanceMs: 30_000,
      });
      return {
        banner: [
          `wms-rest  ${sim.url}  API key ${apiKey}${w.apiKey ? ' (from WMS_REST_API_KEY)' : ' (set WMS_REST_API_KEY to choose it)'}`,
          `wms-rest  webhook secret ${webhookSecret}; webhooks to ${webhookUrl} (change with POST ${sim.url}/_sim/webhooks {"url": ...}); faults: POST ${sim.url}/_sim/faults`,
        ],
        close: () => sim.close(),
      };
    },
  },
  'wms-batch': {
    summary: 'legacy batch WMS: CSV over SFTP (port) with control HTTP on 9102',
    defaultPort: 9122,
    async start({ config, port }) {
      const w = config.warehouses.wmsBatch;
      const warehouseId = demoWarehouse(config, 'wms-batch');
      const password = w.sftp.password ?? randomBytes(12).toString('base64url');
      const sim = await startWmsBatchSimulator({
        dir: join(config.paths.dataDir, 'simulators', 'wms-batch'),
        sftpPort: port,
        controlPort: controlPorts['wms-batch'],
        username: w.sftp.username,
        password,
        stock: warehouseId ? simulatorStock.withUnits(topologyOf(config), warehouseId) : {},
        batchEveryMs: 60_000,
      });
      return {
        banner: [
          `wms-batch sftp://${w.sftp.username}@127.0.0.1:${sim.sftpPort}  password ${password}${w.sftp.password ? ' (from WMS_BATCH_SFTP_PASSWORD)' : ' (set WMS_BATCH_SFTP_PASSWORD to choose it)'}`,
          `wms-batch control ${sim.controlUrl}/_sim/state; batch window every 60 s`,
        ],
        close: () => sim.close(),
      };
    },
  },
  'edi-3pl': {
    summary: 'X12 4010 3PL: 940/945/846/180/997 over SFTP (port) with control HTTP on 9103',
    defaultPort: 9123,
    async start({ config, port }) {
      const e = config.warehouses.edi3pl;
      const warehouseId = demoWarehouse(config, 'edi-3pl');
      const password = e.sftp.password ?? randomBytes(12).toString('base64url');
      const sim = await startEdi3plSimulator({
        dir: join(config.paths.dataDir, 'simulators', 'edi-3pl'),
        sftpPort: port,
        controlPort: controlPorts['edi-3pl'],
        username: e.sftp.username,
        password,
        threePlId: e.partnerId,
        depositorId: e.ourId,
        stock: warehouseId ? simulatorStock.withUnits(topologyOf(config), warehouseId) : {},
        runEveryMs: 60_000,
      });
      return {
        banner: [
          `edi-3pl   sftp://${e.sftp.username}@127.0.0.1:${sim.sftpPort}  password ${password}${e.sftp.password ? ' (from EDI_3PL_SFTP_PASSWORD)' : ' (set EDI_3PL_SFTP_PASSWORD to choose it)'}`,
          `edi-3pl   control ${sim.controlUrl}/_sim/state; ISA ${e.partnerId} → ${e.ourId}; translator runs every 60 s`,
        ],
        close: () => sim.close(),
      };
    },
  },
  'smtp-catcher': {
    summary: 'demo-mode mail server on loopback: keeps every message, lists them on control HTTP 9104',
    defaultPort: 2525,
    onlyWhenNamed: true,
    async start({ config, port }) {
      const catcher = await startSmtpCatcher({
        dir: join(config.paths.dataDir, 'simulators', 'smtp-catcher'),
        smtpPort: port,
        controlPort: controlPorts['smtp-catcher'],
      });
      return {
        banner: [`smtp      smtp://127.0.0.1:${catcher.smtpPort} keeps every message (${catcher.mailbox.count} so far); read them at ${catcher.controlUrl}/_sim/messages`],
        close: () => catcher.close(),
      };
    },
  },
};

export const simulateCommand: Command = {
  summary: 'Run the simulated Odoo and warehouse platforms with demo traffic',
  description:
    'Runs the named simulator, or every available one when no name is given, on loopback with its\nstate under CROSSDOCK_DATA_DIR/simulators. The Odoo simulator answers like Odoo 17 (database\nODOO_DATABASE, login ODOO_LOGIN, password admin, API key ODOO_API_KEY) and generates orders along\na distribution day. Stops gracefully on SIGINT or SIGTERM.',
  positionals: [{ name: 'simulator', description: 'which simulator to run; all but smtp-catcher when omitted', choices: Object.keys(simulators) }],
  options: {
    port: { type: 'string', description: 'port for the named simulator (its default otherwise)' },
    'odoo-version': { type: 'string', description: 'Odoo version the Odoo simulator imitates: 17 (default), 18 or 19' },
    'orders-per-hour': { type: 'string', description: 'Odoo orders per hour at the quietest hour; 0 generates none (default 20)' },
    'webhook-url': { type: 'string', description: "where the REST WMS posts its webhooks (default: the runtime's, http://CROSSDOCK_HOST:CROSSDOCK_WEBHOOK_PORT/webhooks/wms-rest)" },
  },
  async run({ config, flags, args }) {
    const names = args[0] ? [args[0]] : Object.keys(simulators).filter((name) => !simulators[name].onlyWhenNamed);
    let port: number | undefined;
    if (flags.port !== undefined) {
      if (!args[0]) throw new UsageError('crossdock simulate: --port needs a simulator name (each simulator has its own port)');
      port = Number(flags.port);
      if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new UsageError(`crossdock simulate: --port must be between 1 and 65535, not "${String(flags.port)}"`);
    }
    const running: RunningSimulator[] = [];
    try {
      for (const name of names) {
        const entry = simulators[name];
        running.push(await entry.start({ config, port: port ?? entry.defaultPort, flags }));
      }
    } catch (error) {
      await Promise.all(running.map((r) => r.close()));
      if (error instanceof UsageError) throw error;
      throw new CommandError(`could not start the simulators: ${(error as Error).message}`, { cause: error });
    }
    for (const r of running) for (const line of r.banner) console.log(line);
    const signal = await untilSignal();
    console.log(`simulate  stopping (${signal})`);
    await Promise.all(running.map((r) => r.close()));
    return 0;
  },
};
