import { join } from 'node:path';
import type { Config } from '../../lib/config';
import { startTraffic, type TrafficOptions } from '../../../simulators/traffic';
import { untilSignal } from '../until-signal';
import { CommandError, UsageError } from '../usage';
import type { Command } from './index';
import { controlPorts } from './simulate';

/** Reads a numeric flag, or its default, within bounds; anything else is a usage error (exit 2). */
function numberFlag(flags: Record<string, unknown>, name: string, fallback: number, min: number, max: number, what: string): number {
  if (flags[name] === undefined) return fallback;
  const value = Number(flags[name]);
  if (!Number.isFinite(value) || value < min || value > max) throw new UsageError(`crossdock traffic: --${name} must be ${what}, not "${String(flags[name])}"`);
  return value;
}

/** The simulators `crossdock simulate` runs, as the generator reaches them. */
export function trafficTargets(config: Config): Pick<TrafficOptions, 'odoo' | 'warehouses'> {
  return {
    // The simulator takes the API key the runtime uses; without one, admin's password works as in a fresh Odoo.
    odoo: { url: config.odoo.url, database: config.odoo.database, login: config.odoo.login, secret: config.odoo.apiKey ?? 'admin' },
    warehouses: [
      { id: 'wms-rest', dialect: 'wms-rest', controlUrl: config.warehouses.wmsRest.url },
      { id: 'wms-batch', dialect: 'wms-batch', controlUrl: `http://127.0.0.1:${controlPorts['wms-batch']}` },
      { id: 'edi-3pl', dialect: 'edi-3pl', controlUrl: `http://127.0.0.1:${controlPorts['edi-3pl']}` },
    ],
  };
}

export const trafficCommand: Command = {
  summary: 'Play distribution days against the simulators, with scheduled incidents',
  description:
    'Creates orders in the Odoo simulator along a distribution day (quiet night, peaks before the\ncarrier cut-offs), nudges the warehouse simulators through their work (acknowledge, ship,\nreturns, goods receipts) and, every demo day, causes scheduled incidents: an unknown SKU, a WMS\noutage, a short shipment, a duplicate-webhook storm, a missing 997 and a rate-limit burst (see\ndocs/demo.md). The demo clock is kept under CROSSDOCK_DATA_DIR/simulators/traffic, so a restart\nresumes the day. Needs `crossdock simulate` running. Stops on SIGINT or SIGTERM, ending any\nincident still on.',
  options: {
    speed: { type: 'string', description: 'demo minutes per real minute (default 48: a day in 30 minutes)' },
    'orders-per-hour': { type: 'string', description: 'orders per demo hour at the quietest working hour (default 20)' },
    incidents: { type: 'string', description: 'true (default) or false: play the incident schedule' },
    'start-hour': { type: 'string', description: 'local hour the first demo day starts at, 0-23 (default 8)' },
  },
  async run({ config, flags }) {
    const incidents = flags.incidents === undefined ? 'true' : String(flags.incidents);
    if (incidents !== 'true' && incidents !== 'false') throw new UsageError(`crossdock traffic: --incidents must be true or false, not "${incidents}"`);
    let traffic;
    try {
      traffic = await startTraffic({
        ...trafficTargets(config),
        speed: numberFlag(flags, 'speed', 48, 0.01, 100_000, 'a number of demo minutes per real minute, above 0'),
        baseOrdersPerHour: numberFlag(flags, 'orders-per-hour', 20, 0, 10_000, 'a number of orders, 0 or more'),
        startMinuteOfDay: numberFlag(flags, 'start-hour', 8, 0, 23, 'an hour from 0 to 23') * 60,
        incidents: incidents === 'true',
        stateFile: join(config.paths.dataDir, 'simulators', 'traffic', 'clock.json'),
      });
    } catch (error) {
      throw new CommandError(`the traffic generator could not start: ${(error as Error).message}`, { cause: error });
    }
    const signal = await untilSignal();
    console.log(`traffic   stopping (${signal})`);
    await traffic.stop();
    return 0;
  },
};
