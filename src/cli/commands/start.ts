import { randomBytes } from 'node:crypto';
import { collectorEndpoint } from '../../lib/config';
import { startComponent, type Component } from '../child-process';
import { serveConsole } from '../console-server';
import { untilSignal } from '../until-signal';
import type { Command } from './index';

export const startCommand: Command = {
  summary: 'Start everything on embedded defaults',
  description:
    'Starts the whole of Crossdock on this machine: the console (web, collector, embedded ClickHouse\nunder CROSSDOCK_DATA_DIR) in this process, and the runtime and the simulators as child processes\nthat send their spans to it. Demo mode is on unless CROSSDOCK_DEMO=false: demo users are created\nand printed. An admin token is generated for the runtime unless CROSSDOCK_ADMIN_TOKEN is set.\nStops everything gracefully on SIGINT or SIGTERM.',
  async run({ config }) {
    // This is a composition root: it hands the children (and the console bundle, which parses
    // the environment itself) the settings they share.
    process.env.CROSSDOCK_DEMO ??= 'true';
    process.env.CROSSDOCK_ADMIN_TOKEN ??= randomBytes(24).toString('base64url');
    const env = { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: collectorEndpoint(config) };

    let stopping = false;
    const consoleServer = await serveConsole(config);
    const components: Component[] = [startComponent('runtime', ['runtime'], env), startComponent('simulate', ['simulate'], env)];
    for (const component of components)
      void component.exited.then((code) => {
        if (!stopping) console.error(`${component.name.padEnd(9)} exited with code ${code}; the rest keeps running`);
      });

    const demo = process.env.CROSSDOCK_DEMO !== 'false';
    console.log(`Crossdock is running.
  console      ${consoleServer.url}${demo ? '   (demo users: support, manager, approver, viewer, admin; password crossdock-demo)' : ''}
  health       ${consoleServer.url}/healthz
  collector    ${collectorEndpoint(config)}/v1/traces
  runtime      admin API http://${config.runtime.host}:${config.runtime.adminPort}/admin/v1
  data         ${config.clickhouse.url ?? `${config.paths.dataDir} (embedded ClickHouse and SQLite)`}
Press Ctrl+C to stop.`);

    const signal = await untilSignal();
    stopping = true;
    console.log(`stopping (${signal})`);
    await Promise.all(components.map((c) => c.stop()));
    await consoleServer.stop();
    return 0;
  },
};
