import { join } from 'node:path';
import type { Config } from '../../lib/config';
import { startOdooSimulator } from '../../../simulators/odoo';
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
  start(context: { config: Config; port: number; flags: Record<string, unknown> }): Promise<RunningSimulator>;
}

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
};

export const simulateCommand: Command = {
  summary: 'Run the simulated Odoo and warehouse platforms with demo traffic',
  description:
    'Runs the named simulator, or every available one when no name is given, on loopback with its\nstate under CROSSDOCK_DATA_DIR/simulators. The Odoo simulator answers like Odoo 17 (database\nODOO_DATABASE, login ODOO_LOGIN, password admin, API key ODOO_API_KEY) and generates orders along\na distribution day. Stops gracefully on SIGINT or SIGTERM.',
  positionals: [{ name: 'simulator', description: 'which simulator to run; all when omitted', choices: Object.keys(simulators) }],
  options: {
    port: { type: 'string', description: 'port for the named simulator (its default otherwise)' },
    'odoo-version': { type: 'string', description: 'Odoo version the Odoo simulator imitates: 17 (default), 18 or 19' },
    'orders-per-hour': { type: 'string', description: 'Odoo orders per hour at the quietest hour; 0 generates none (default 20)' },
  },
  async run({ config, flags, args }) {
    const names = args[0] ? [args[0]] : Object.keys(simulators);
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
