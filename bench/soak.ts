/**
 * Faults and load over time: the demo world (`crossdock start`, console + runtime + simulators +
 * SMTP catcher + traffic generator) at 10× its default speed with every scheduled incident on,
 * in a fresh data directory, then a reconciliation from the systems' own state. Prints messages
 * processed, orders and shipments lost (must be 0), effects duplicated (must be 0), the RSS of
 * each process over time with a growth verdict, and the collector's dropped spans; exits 1 when
 * anything was lost or duplicated.
 *
 * After --minutes the traffic generator is stopped the way start's Ctrl+C stops it (SIGTERM, so it
 * switches its incidents off); the warehouses finish their work on their own timers and the
 * runtime drains (bounded by --drain-minutes); the systems are read while they still answer;
 * then SIGINT to the start process stops the rest in order.
 *
 *   npx tsx bench/soak.ts [--minutes 30] [--speed 480] [--sample-seconds 30] [--drain-minutes 6] [--keep]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { processTree, rssKiB, rssReport, sampleRss, type RssSample } from './support/soak-processes';
import { reconcile } from './support/soak-reconcile';
import { readDeadLetters, readOdoo, readRuntimeDb, readWarehouses } from './support/soak-state';
import { consoleBuilt, odooUrl, queuesQuiet, sim, startWorld, stopWorld, takenFixedPorts, until, untilQuiet, type SoakWorld } from './support/soak-world';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    speed: { type: 'string', default: '480' },
    'sample-seconds': { type: 'string', default: '30' },
    'drain-minutes': { type: 'string', default: '6' },
    keep: { type: 'boolean', default: false },
  },
});
const minutes = Math.min(Number(values.minutes), 240);
const speed = Number(values.speed);
const sampleMs = Math.max(5, Number(values['sample-seconds'])) * 1000;
const drainMs = Math.min(Number(values['drain-minutes']), 30) * 60_000;
if (!(minutes > 0) || !(speed > 0) || !(drainMs > 0)) {
  console.error('soak: --minutes, --speed and --drain-minutes must be numbers above 0');
  process.exit(2);
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const count = (n: number) => n.toLocaleString('en-US');

// The console is built by whoever builds on this machine; a missing build/ is being made.
if (!consoleBuilt()) {
  console.log('soak: build/ is missing (being built?); waiting up to 5 min for it');
  if (!(await until(async () => consoleBuilt(), 300_000, 10_000))) {
    console.error('soak: the console is not built (build/handler.js); build it first, then run the soak');
    process.exit(2);
  }
}
const busy = await takenFixedPorts();
if (busy.length > 0) {
  console.error(`soak: refusing to start: ${busy.join(', ')} already in use. \`crossdock start\` runs the simulators on these fixed ports (only the console, collector, admin and webhook ports move by environment, and the soak picks free ones for those). Stop whatever holds them (another \`crossdock start\` or test run?) and try again.`);
  process.exit(2);
}

const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-soak-'));
console.log(`soak: the demo world at ${speed}× (a demo day every ${(1_440 / speed).toFixed(1)} min) for ${minutes} min, incidents on; ${cpus().length} cores, Node ${process.version}; data ${dataDir}, output of start in ${join(dataDir, 'start.log')}`);
const world: SoakWorld = await startWorld(dataDir, speed);
let stopped = false;
const pids = () => [...processTree(world.start.pid!).values()];
const abort = async (why: string) => {
  console.error(`soak: ${why}; stopping the demo world (data kept in ${dataDir})`);
  if (!stopped) await stopWorld(world, pids());
  process.exit(1);
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void abort(`${signal} received`));
void world.exited.then((code) => {
  if (!stopped) void abort(`crossdock start exited early with code ${code}`);
});

const ready =
  (await until(async () => (await fetch(`${world.consoleUrl}/healthz`)).ok, 180_000)) &&
  (await until(async () => (await world.admin<{ status: string }>('/admin/v1/health')).status === 'ok', 120_000)) &&
  (await until(async () => processTree(world.start.pid!).has('traffic'), 120_000));
if (!ready) await abort('the demo world did not come up within 7 min');

// The run: RSS of every process every --sample-seconds, and a progress line.
const samples: RssSample[] = [];
const t0 = Date.now();
const names = ['console', 'runtime', 'simulate', 'smtp', 'traffic'];
while (Date.now() - t0 < minutes * 60_000) {
  const sample = sampleRss(processTree(world.start.pid!), Date.now() - t0);
  samples.push(sample);
  const depth = await world.queueDepth().catch(() => NaN);
  const odoo = await sim<{ counters: { ordersConfirmed: number } }>(odooUrl, 'state').catch(() => undefined);
  console.log(
    `  ${((Date.now() - t0) / 60_000).toFixed(1).padStart(5)} min  RSS ${names.map((n) => `${n} ${sample.rssKiB.has(n) ? (sample.rssKiB.get(n)! / 1024).toFixed(0) : '-'}`).join(', ')} MiB; queued ${depth}; orders in Odoo ${odoo?.counters.ordersConfirmed ?? '?'}; incidents started ${world.output.incidentsStarted}`,
  );
  await sleep(Math.min(sampleMs, t0 + minutes * 60_000 - Date.now()));
}
samples.push(sampleRss(processTree(world.start.pid!), Date.now() - t0));
const exitsDuringRun = [...world.output.exits];

// Stop the traffic as start's Ctrl+C does (SIGTERM: it switches incidents off), then let the world settle.
const traffic = processTree(world.start.pid!).get('traffic');
if (traffic) process.kill(traffic, 'SIGTERM');
await until(async () => traffic === undefined || rssKiB(traffic) === undefined, 30_000);
console.log(`soak: traffic stopped after ${((Date.now() - t0) / 60_000).toFixed(1)} min; waiting for the warehouses and the runtime to finish (at most ${drainMs / 60_000} min)`);
const quietAfterMs = await untilQuiet(world, 70_000, drainMs);

// Read the systems: warehouses first, then Odoo and the runtime once what they reported is through, then the warehouses again.
const before = await readWarehouses();
await queuesQuiet(world, 12_000, 60_000);
const odoo = await readOdoo(world.odooApiKey());
const runtime = readRuntimeDb(dataDir);
const deadLetters = await readDeadLetters(world);
const after = await readWarehouses();
const result = reconcile(before, after, odoo, runtime, deadLetters);

// The runtime's own comparison of Odoo's stock with each warehouse's count, without correcting anything.
type Run = { status: string; differences: { kind: string; warehouseId: string; subject: string; detail: string }[] };
const { runId } = await world.admin<{ runId: string }>('/admin/v1/reconciliation/runs', { method: 'POST', body: JSON.stringify({ actor: 'soak', correct: false }) });
let run = await world.admin<Run>(`/admin/v1/reconciliation/runs/${runId}`).catch(() => undefined);
for (const deadline = Date.now() + 120_000; run?.status !== 'finished' && run?.status !== 'failed' && Date.now() < deadline; await sleep(1_000))
  run = await world.admin<Run>(`/admin/v1/reconciliation/runs/${runId}`).catch(() => undefined);
const collector = await world.collector();
// The runtime's own figures (admin health): deliveries its workers ended, by outcome, and its span export buffer.
type Health = { process?: { deliveries?: Record<string, number>; telemetry?: { buffered: number; delivered: number; dropped: number; failedExports: number } | null } };
const runtimeProcess = (await world.admin<Health>('/admin/v1/health').catch(() => ({}) as Health)).process;
const exported = runtimeProcess?.telemetry;
const depthAtEnd = await world.queueDepth().catch(() => NaN);
const drained = sampleRss(processTree(world.start.pid!), Date.now() - t0);

stopped = true;
const stopCode = await stopWorld(world, pids());
const clockFile = join(dataDir, 'simulators', 'traffic', 'clock.json');
const demoMinutes = existsSync(clockFile) ? (JSON.parse(readFileSync(clockFile, 'utf8')) as { elapsedMinutes: number }).elapsedMinutes : NaN;

const o = result.orders;
const s = result.shipments;
const r = result.returns;
const byStatus = new Map<string, number>();
for (const a of runtime.assignments.values()) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
const differences = new Map<string, number>();
for (const d of run?.differences ?? []) differences.set(d.kind, (differences.get(d.kind) ?? 0) + 1);
const dropped = collector.rejectedSpans + collector.lost + (exported?.dropped ?? 0);
const list = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${count(n)}`).join(', ') || 'none';
console.log(
  [
    '',
    `soak result (${cpus().length} cores, Node ${process.version}, --speed ${speed}, ${minutes} min)`,
    `  run: ${minutes} min of traffic, demo clock ${Number.isFinite(demoMinutes) ? `${(demoMinutes / 1_440).toFixed(1)} demo days` : 'unknown'}; incidents started ${world.output.incidentsStarted}; start printed ${count(world.output.lines)} lines (${world.output.errors} on stderr); components that exited during the run: ${exitsDuringRun.length ? exitsDuringRun.join(' | ') : 'none'}`,
    `  drain: ${quietAfterMs === undefined ? `NOT quiet within ${drainMs / 60_000} min (queued at the end ${depthAtEnd}); unfinished work counts as in flight` : `quiet ${(quietAfterMs / 1000).toFixed(0)} s after the traffic stopped (warehouse statuses unchanged for 70 s, queues empty 12 s)`}; start exited with ${stopCode}`,
    `  runtime deliveries by outcome (admin health): ${list(new Map(Object.entries(runtimeProcess?.deliveries ?? {})))}`,
    `  messages processed: ${count([...runtime.inbound.values()].reduce((a, b) => a + b, 0))} taken onto the bus (${list(runtime.inbound)}); ledger ${count(runtime.ledger.in)} partner messages in, ${count(runtime.ledger.out)} out; orders routed ${count(runtime.assignments.size)} (${list(byStatus)}); still on the bus ${runtime.pendingMessages}`,
    `  orders released in Odoo ${count(o.released)}: at their warehouse ${count(o.delivered)}, dead-lettered ${o.deadLettered}, in flight ${o.inFlight}, lost ${o.lost}, never taken from Odoo ${o.neverTaken}`,
    `  shipments: warehouses shipped ${count(s.atWarehouses)} orders: validated in Odoo ${count(s.confirmedInOdoo)}, shipped nothing (short to zero) ${s.shippedNothing}, dead-lettered ${s.deadLettered}, in flight ${s.inFlight}, lost ${s.lost}; not shipped yet ${s.notShippedYet}`,
    `  returns: warehouses received ${r.atWarehouses}; Odoo return pickings done with their RMA ${r.inOdoo}; dead-lettered ${r.deadLettered}, in flight ${r.inFlight}, lost ${r.lost}; return pickings without an RMA mark ${r.unmarked}`,
    `  repeats absorbed by the warehouses (an order received more than once, one effect): ${result.resentToWarehouses}`,
    `  dead letters ${deadLetters.length}: ${list(result.deadLettersByKind)}`,
    `  final reconciliation without corrections (${run?.status ?? 'no answer'}): ${list(differences)}`,
    ...(run?.differences ?? []).slice(0, 10).map((d) => `    ${d.kind} ${d.warehouseId} ${d.subject}: ${d.detail}`),
    `  collector: ${count(collector.acceptedSpans)} spans accepted in ${count(collector.requests)} requests, ${count(collector.written)} written, ${collector.buffered} buffered; rejected ${collector.rejectedSpans}, lost ${collector.lost}, throttled requests ${collector.throttledRequests}, refused requests ${collector.refusedRequests}, write failures ${collector.writeFailures}`,
    `  runtime span export (admin health): ${exported ? `${count(exported.delivered)} delivered, ${exported.buffered} buffered, ${exported.dropped} dropped, ${exported.failedExports} failed exports` : 'not reported'}`,
    `  dropped spans (rejected + lost at the collector, dropped by the runtime's export buffer): ${dropped}`,
    ...world.output.stderr.map((line) => `  start stderr: ${line}`),
    '',
    ...rssReport(samples, names, [{ label: '(drained, traffic stopped)', sample: drained }]),
    '',
    `  lost: ${result.lost + o.neverTaken} (must be 0)`,
    `  duplicated effects: ${result.duplicated} (must be 0)`,
    ...result.findings.slice(0, 40).map((f) => `    ${f}`),
    ...(result.findings.length > 40 ? [`    … and ${result.findings.length - 40} more`] : []),
  ].join('\n'),
);
const failed = result.lost + o.neverTaken > 0 || result.duplicated > 0;
if (values.keep || failed) console.log(`soak: data kept in ${dataDir}`);
else rmSync(dataDir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
