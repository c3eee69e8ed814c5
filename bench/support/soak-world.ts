/**
 * The soak's demo world: `crossdock start` spawned as a user would run it (fresh data directory,
 * incidents on), the ports it needs, the runtime's admin API and the console's health, and the
 * ordered stop (Ctrl+C's SIGINT to the start process).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { controlPorts, simulators } from '../../src/cli/commands/simulate';
import { freePort } from '../../test/support/cli';

const bin = fileURLToPath(new URL('../../bin/crossdock.js', import.meta.url));
const handler = fileURLToPath(new URL('../../build/handler.js', import.meta.url));

/**
 * Ports `start` cannot move: `simulate` runs every simulator on its default port (`--port` needs a
 * simulator name) and the control planes and the SMTP catcher are fixed in simulate.ts.
 */
export const fixedPorts: Record<string, number> = {
  'odoo simulator': simulators.odoo.defaultPort,
  'wms-rest simulator': simulators['wms-rest'].defaultPort,
  'wms-batch SFTP': simulators['wms-batch'].defaultPort,
  'edi-3pl SFTP': simulators['edi-3pl'].defaultPort,
  'wms-batch control': controlPorts['wms-batch'],
  'edi-3pl control': controlPorts['edi-3pl'],
  'smtp catcher': simulators['smtp-catcher'].defaultPort,
  'smtp catcher control': controlPorts['smtp-catcher'],
};

/** Whether something already listens on 127.0.0.1:`port`. */
function taken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}

/** The fixed ports already in use, as `name :port`; empty when the demo world can start. */
export async function takenFixedPorts(): Promise<string[]> {
  const busy: string[] = [];
  for (const [name, port] of Object.entries(fixedPorts)) if (await taken(port)) busy.push(`${name} :${port}`);
  return busy;
}

/** Whether the console is built (another engineer builds it on this machine; the soak never does). */
export const consoleBuilt = () => existsSync(handler);

/** Where each warehouse simulator's `/_sim/*` control plane answers, by topology id. */
export const warehouseControl: Record<string, string> = {
  'wms-rest': `http://127.0.0.1:${simulators['wms-rest'].defaultPort}`,
  'wms-batch': `http://127.0.0.1:${controlPorts['wms-batch']}`,
  'edi-3pl': `http://127.0.0.1:${controlPorts['edi-3pl']}`,
};
export const odooUrl = `http://127.0.0.1:${simulators.odoo.defaultPort}`;

/** What the start process printed that the soak counts. */
export interface StartOutput {
  lines: number;
  incidentsStarted: number;
  /** "<name> exited with code N; the rest keeps running": a component died during the run. */
  exits: string[];
  errors: number;
  /** The first lines printed on stderr. */
  stderr: string[];
}

export interface SoakWorld {
  start: ChildProcess;
  dataDir: string;
  consoleUrl: string;
  adminUrl: string;
  adminToken: string;
  output: StartOutput;
  exited: Promise<number | null>;
  admin<T>(path: string, init?: RequestInit): Promise<T>;
  /** Sum of every service class's depth (messages not yet acknowledged, retries waiting included). */
  queueDepth(): Promise<number>;
  /** The console's collector counters, from `/healthz`. */
  collector(): Promise<CollectorCounters>;
  /** The Odoo API key `start` made for this data directory (the runtime and the simulator share it). */
  odooApiKey(): string;
}

export interface CollectorCounters {
  requests: number;
  acceptedSpans: number;
  rejectedSpans: number;
  throttledRequests: number;
  refusedRequests: number;
  buffered: number;
  written: number;
  writeFailures: number;
  lost: number;
}

const INCIDENT_START = /traffic\s+\[day \d+ \d\d:\d\d\] (unknown SKU|outage|short shipment|duplicate-webhook storm|missing 997|rate-limit burst):/;

/**
 * Spawns `node bin/crossdock.js start --speed N --incidents=true` with the data directory and
 * free ports for everything `start` lets the environment move (console, collector, admin API,
 * webhooks), a known admin token, and its output in `<dataDir>/start.log`.
 */
export async function startWorld(dataDir: string, speed: number): Promise<SoakWorld> {
  const ports = { console: await freePort(), collector: await freePort(), admin: await freePort(), webhook: await freePort() };
  const adminToken = randomBytes(24).toString('base64url');
  // Like test/support/cli.ts: none of this shell's Crossdock settings leak into the demo world.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CROSSDOCK_|CLICKHOUSE_|NATS_URL|SMTP_URL|OPENAI_|ODOO_|WMS_|EDI_3PL_|OTEL_)/.test(k)));
  const env = {
    ...inherited,
    CROSSDOCK_DATA_DIR: dataDir,
    CROSSDOCK_CONSOLE_PORT: String(ports.console),
    CROSSDOCK_COLLECTOR_PORT: String(ports.collector),
    CROSSDOCK_ADMIN_PORT: String(ports.admin),
    CROSSDOCK_WEBHOOK_PORT: String(ports.webhook),
    CROSSDOCK_ADMIN_TOKEN: adminToken,
  };
  const start = spawn(process.execPath, [bin, 'start', '--speed', String(speed), '--incidents=true'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(join(dataDir, 'start.log'));
  const output: StartOutput = { lines: 0, incidentsStarted: 0, exits: [], errors: 0, stderr: [] };
  for (const [stream, isError] of [[start.stdout!, false], [start.stderr!, true]] as const)
    createInterface({ input: stream }).on('line', (line) => {
      log.write(`${line}\n`);
      output.lines++;
      if (isError && ++output.errors <= 10) output.stderr.push(line.trim());
      if (INCIDENT_START.test(line)) output.incidentsStarted++;
      if (/exited with code/.test(line)) output.exits.push(line.trim());
    });
  const exited = new Promise<number | null>((resolve) => start.on('exit', (code) => resolve(code)));
  void exited.then(() => log.end());

  const adminUrl = `http://127.0.0.1:${ports.admin}`;
  const consoleUrl = `http://127.0.0.1:${ports.console}`;
  const admin = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${adminUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', ...init.headers },
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok) throw new Error(`admin API ${path} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    return (await response.json()) as T;
  };
  return {
    start,
    dataDir,
    consoleUrl,
    adminUrl,
    adminToken,
    output,
    exited,
    admin,
    async queueDepth() {
      const { queues } = await admin<{ queues: { depth: number }[] }>('/admin/v1/queues');
      return queues.reduce((n, q) => n + q.depth, 0);
    },
    async collector() {
      const response = await fetch(`${consoleUrl}/healthz`, { signal: AbortSignal.timeout(30_000) });
      return ((await response.json()) as { collector: CollectorCounters }).collector;
    },
    odooApiKey: () => (JSON.parse(readFileSync(join(dataDir, 'demo-secrets.json'), 'utf8')) as Record<string, string>).ODOO_API_KEY,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `ready` resolves true or `timeoutMs` passes; errors count as not ready. */
export async function until(ready: () => Promise<boolean>, timeoutMs: number, everyMs = 500): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ready().catch(() => false)) return true;
    await sleep(everyMs);
  }
  return false;
}

/** GET a simulator's `/_sim/state` (or another control route with a body, as POST). */
export async function sim<T>(url: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${url}/_sim/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new Error(`${url}/_sim/${path} answered ${response.status}`);
  return (await response.json()) as T;
}

/** What the warehouses hold, reduced to what changes while they still work: statuses, shipments, returns. */
async function warehouseSignature(): Promise<string> {
  const parts = await Promise.all(
    Object.entries(warehouseControl).map(async ([id, url]) => {
      const state = await sim<{ orders: Record<string, { status: string }>; shipped: number; returns: number }>(url, 'state');
      const statuses: Record<string, number> = {};
      for (const o of Object.values(state.orders)) statuses[o.status] = (statuses[o.status] ?? 0) + 1;
      return `${id}:${JSON.stringify(statuses)}:${state.shipped}:${state.returns}`;
    }),
  );
  return parts.join('|');
}

/** The runtime's queues stayed empty at every check for `quietMs`: nothing queued, nothing waiting for a retry. */
export async function queuesQuiet(world: SoakWorld, quietMs: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let quietSince: number | undefined;
  while (Date.now() < deadline) {
    const depth = await world.queueDepth().catch(() => -1);
    if (depth === 0) quietSince ??= Date.now();
    else quietSince = undefined;
    if (quietSince !== undefined && Date.now() - quietSince >= quietMs) return true;
    await sleep(1_000);
  }
  return false;
}

/**
 * After the traffic stops, the warehouses still work their own timers (the REST WMS advances an
 * order a step every 30 s, the batch WMS and the 3PL ship at their 60 s window) and the runtime
 * carries what they report to Odoo. Quiet = the warehouses' statuses did not change for a whole
 * window (`stableMs`) and the runtime's queues are empty. Resolves how long it took, or undefined
 * when `timeoutMs` passed first.
 */
export async function untilQuiet(world: SoakWorld, stableMs: number, timeoutMs: number): Promise<number | undefined> {
  const started = Date.now();
  // The warehouses' inbox now, rather than at their next window: what the runtime sent is taken in.
  for (const url of Object.values(warehouseControl)) await sim(url, 'process', {}).catch(() => undefined);
  let signature = await warehouseSignature().catch(() => '');
  let stableSince = Date.now();
  while (Date.now() - started < timeoutMs) {
    await sleep(5_000);
    const now = await warehouseSignature().catch(() => '');
    if (now !== signature || now === '') {
      signature = now;
      stableSince = Date.now();
      continue;
    }
    if (Date.now() - stableSince >= stableMs && (await queuesQuiet(world, 12_000, 30_000))) return Date.now() - started;
  }
  return undefined;
}

/** Ctrl+C: SIGINT to the start process, which stops the runtime, then the rest; SIGKILL to what is left after `timeoutMs`. */
export async function stopWorld(world: SoakWorld, leftovers: number[], timeoutMs = 90_000): Promise<number | null> {
  if (world.start.exitCode === null && world.start.signalCode === null) world.start.kill('SIGINT');
  const code = await Promise.race([world.exited, sleep(timeoutMs).then(() => 'timeout' as const)]);
  if (code !== 'timeout') return code;
  // Only the processes this soak started (the start process and its children, by pid).
  for (const pid of [world.start.pid!, ...leftovers])
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  return null;
}
