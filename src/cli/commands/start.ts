import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { collectorEndpoint, type Config } from '../../lib/config';
import { startComponent, type Component } from '../child-process';
import { serveConsole } from '../console-server';
import { ensureSharedSecrets } from '../shared-secrets';
import { untilAnswering } from '../until-answering';
import { untilSignal } from '../until-signal';
import { CommandError, UsageError } from '../usage';
import type { Command } from './index';
import { controlPorts, simulators } from './simulate';
import { trafficTargets } from './traffic';

/** How long the traffic generator waits for the simulators to answer before starting anyway (it retries). */
const SIMULATORS_READY_MS = 60_000;

export const startCommand: Command = {
  summary: 'Start everything on embedded defaults',
  description:
    'Starts the whole of Crossdock on this machine: the console (web, collector, embedded ClickHouse\nunder CROSSDOCK_DATA_DIR) in this process, and the runtime and the simulators as child processes\nthat send their spans to it. Demo mode is on unless CROSSDOCK_DEMO=false: demo users are created\nand printed, the traffic generator plays distribution days with scheduled incidents, and an SMTP\ncatcher keeps alert email (unless SMTP_URL is set). Secrets the runtime and the simulators share\nare generated when unset and kept in CROSSDOCK_DATA_DIR/demo-secrets.json; an admin token is\ngenerated for the runtime unless CROSSDOCK_ADMIN_TOKEN is set. Stops everything gracefully on\nSIGINT or SIGTERM.',
  options: {
    speed: { type: 'string', description: 'demo mode: demo minutes per real minute (default 48: a day in 30 minutes)' },
    incidents: { type: 'string', description: 'demo mode: true (default) or false, play the incident schedule' },
  },
  async run({ config, flags }) {
    const trafficFlags: string[] = [];
    if (flags.speed !== undefined) {
      if (!(Number(flags.speed) > 0)) throw new UsageError(`crossdock start: --speed must be a number above 0, not "${String(flags.speed)}"`);
      trafficFlags.push('--speed', String(flags.speed));
    }
    if (flags.incidents !== undefined) {
      if (flags.incidents !== 'true' && flags.incidents !== 'false') throw new UsageError(`crossdock start: --incidents must be true or false, not "${String(flags.incidents)}"`);
      trafficFlags.push(`--incidents=${flags.incidents}`);
    }

    // This is a composition root: it hands the children (and the console bundle, which parses
    // the environment itself) the settings they share.
    process.env.CROSSDOCK_DEMO ??= 'true';
    const demo = process.env.CROSSDOCK_DEMO !== 'false';
    process.env.CROSSDOCK_ADMIN_TOKEN ??= randomBytes(24).toString('base64url');
    const secretsFile = join(config.paths.dataDir, 'demo-secrets.json');
    let secrets;
    try {
      secrets = ensureSharedSecrets(process.env, secretsFile);
    } catch (error) {
      throw new CommandError((error as Error).message, { cause: error });
    }
    // A demo day lasts 30 minutes, so the default hour a 940 may wait for its 997 would outlast
    // two of them: the missing-997 incident would never show as overdue.
    if (demo) process.env.EDI_3PL_ACK_SLA_MINUTES ??= '5';
    // Likewise reconciliation: every 5 minutes is every 4 demo hours, so a newcomer sees its findings.
    if (demo) process.env.CROSSDOCK_RECONCILE_CRON ??= '*/5 * * * *';
    const catchMail = demo && !process.env.SMTP_URL;
    if (catchMail) process.env.SMTP_URL = `smtp://127.0.0.1:${simulators['smtp-catcher'].defaultPort}`;
    const env = { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: collectorEndpoint(config) };

    // Listen for Ctrl+C before anything slow, so a stop during start-up still stops every child.
    let signal: NodeJS.Signals | undefined;
    const signalled = untilSignal().then((s) => (signal = s));
    const abort = new AbortController();
    void signalled.then(() => abort.abort());

    let stopping = false;
    const components: Component[] = [];
    const run = (name: string, args: string[]) => {
      const component = startComponent(name, args, env);
      components.push(component);
      void component.exited.then((code) => {
        if (!stopping) console.error(`${name.padEnd(9)} exited with code ${code}; the rest keeps running`);
      });
    };

    const consoleServer = await serveConsole(config);
    // The simulators first: the runtime reaches for them as soon as it is up.
    // One source of orders: in demo mode the traffic generator makes them, so the Odoo simulator's own generator is off.
    run('simulate', ['simulate', ...(demo ? ['--orders-per-hour', '0'] : [])]);
    if (catchMail) run('smtp', ['simulate', 'smtp-catcher']);
    run('runtime', ['runtime']);

    console.log(
      banner({
        config,
        consoleUrl: consoleServer.url,
        demo,
        catchMail,
        dayMinutes: Math.round(1_440 / (flags.speed === undefined ? 48 : Number(flags.speed))),
        incidents: flags.incidents !== 'false',
        shared: [...secrets.generated, ...secrets.resumed],
        secretsFile,
      }),
    );

    if (demo) {
      const targets = trafficTargets(config);
      const up = await untilAnswering([`${targets.odoo.url}/_sim/state`, ...targets.warehouses.map((w) => `${w.controlUrl}/_sim/state`)], SIMULATORS_READY_MS, abort.signal);
      if (signal === undefined) {
        if (!up) console.error(`traffic   the simulators did not answer within ${SIMULATORS_READY_MS / 1000} s; starting the traffic generator anyway (it keeps trying)`);
        run('traffic', ['traffic', ...trafficFlags]);
      }
    }

    await signalled;
    stopping = true;
    console.log(`stopping (${signal})`);
    // Clients before servers: the traffic generator first, so it switches its incidents off while
    // the simulators still answer, then the runtime, so it does not report the simulators leaving.
    for (const name of ['traffic', 'runtime']) await components.find((c) => c.name === name)?.stop();
    await Promise.all(components.map((c) => c.stop()));
    await consoleServer.stop();
    return 0;
  },
};

/** What `start` prints once the console listens: where everything is and how to use it. */
function banner(o: { config: Config; consoleUrl: string; demo: boolean; catchMail: boolean; dayMinutes: number; incidents: boolean; shared: string[]; secretsFile: string }): string {
  const { config } = o;
  return [
    'Crossdock is running.',
    `  console      ${o.consoleUrl}${o.demo ? '   (demo users: support, manager, approver, viewer, admin; password crossdock-demo)' : ''}`,
    `  health       ${o.consoleUrl}/healthz`,
    `  collector    ${collectorEndpoint(config)}/v1/traces`,
    `  runtime      admin API http://${config.runtime.host}:${config.runtime.adminPort}/admin/v1`,
    ...(o.catchMail
      ? [`  mail         alert email is caught at smtp://127.0.0.1:${simulators['smtp-catcher'].defaultPort}, never delivered: read it at http://127.0.0.1:${controlPorts['smtp-catcher']}/_sim/messages`]
      : []),
    ...(o.demo
      ? [`  traffic      a demo day every ${o.dayMinutes} min${o.incidents ? ', with scheduled incidents' : ''}, once the simulators answer (docs/demo.md; npm start -- --speed N)`]
      : []),
    ...(o.shared.length > 0 ? [`  secrets      ${o.shared.join(', ')}: made for this data directory (the runtime and the simulators share them; the console signs alert links), kept in ${o.secretsFile}`] : []),
    `  data         ${config.clickhouse.url ?? `${config.paths.dataDir} (embedded ClickHouse and SQLite)`}`,
    'Press Ctrl+C to stop.',
  ].join('\n');
}
