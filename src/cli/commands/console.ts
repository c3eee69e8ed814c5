import { serveConsole } from '../console-server';
import { untilSignal } from '../until-signal';
import type { Command } from './index';

export const consoleCommand: Command = {
  summary: 'Run the operations console (web pages, /api/v1, /healthz)',
  description:
    'Serves the operations console on CROSSDOCK_HOST:CROSSDOCK_CONSOLE_PORT (127.0.0.1:3000 by default).\nOpens ClickHouse (embedded unless CLICKHOUSE_URL is set) and applies pending migrations first.\nStops gracefully on SIGINT or SIGTERM.',
  async run({ config }) {
    const running = await serveConsole(config);
    console.log(`console   listening on ${running.url}`);
    const signal = await untilSignal();
    console.log(`console   stopping (${signal})`);
    await running.stop();
    return 0;
  },
};
