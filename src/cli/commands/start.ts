import { serveConsole } from '../console-server';
import { untilSignal } from '../until-signal';
import type { Command } from './index';

export const startCommand: Command = {
  summary: 'Start everything on embedded defaults',
  description:
    'Starts every Crossdock component in this process with embedded defaults: the console with\nembedded ClickHouse under CROSSDOCK_DATA_DIR. Stops gracefully on SIGINT or SIGTERM.',
  async run({ config }) {
    const consoleServer = await serveConsole(config);
    console.log(`Crossdock is running.
  console      ${consoleServer.url}
  health       ${consoleServer.url}/healthz
  data         ${config.clickhouse.url ? config.clickhouse.url : `${config.paths.dataDir}/clickhouse (embedded ClickHouse)`}
Press Ctrl+C to stop.`);
    const signal = await untilSignal();
    console.log(`stopping (${signal})`);
    await consoleServer.stop();
    return 0;
  },
};
