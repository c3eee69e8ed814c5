/**
 * Console server time at scale: loads N transactions (10 spans each, see
 * support/console-dataset.ts) into an embedded ClickHouse, starts the built console on it, signs
 * in, and times the overview, the stuck list, a transaction page and a 30-day SLA report over HTTP.
 *
 *   npm run build && npx tsx bench/console.ts [--transactions 1000000] [--requests 20] [--data-dir DIR]
 *
 * With --data-dir the data is loaded into DIR once and kept: later runs with the same DIR skip
 * the load (minutes at 1M) and reuse it. The spans' times are relative to the load, so reused
 * data has aged by the time since; use a fresh load for figures you publish.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, startCli, waitForHttp } from '../test/support/cli';
import { signIn } from '../test/support/console-client';
import { consoleDataset } from './support/console-dataset';

const { values } = parseArgs({
  options: { transactions: { type: 'string', default: '1000000' }, requests: { type: 'string', default: '20' }, 'data-dir': { type: 'string' } },
});
const transactions = Math.min(Number(values.transactions), 5_000_000);
const requests = Math.min(Number(values.requests), 200);
const keep = values['data-dir'] !== undefined;
const dataDir = keep ? values['data-dir']! : mkdtempSync(join(tmpdir(), 'crossdock-console-bench-'));
const dataset = await consoleDataset(dataDir, transactions, keep);
const { spans: stored, loadSeconds } = dataset;
const loaded = dataset.reused ? dataset : undefined;

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = startCli(['console'], { CROSSDOCK_DATA_DIR: dataDir, CROSSDOCK_CONSOLE_PORT: String(port), CROSSDOCK_COLLECTOR_PORT: String(await freePort()), ...(process.env.CROSSDOCK_EXCEPTION_INTAKE_MS ? { CROSSDOCK_EXCEPTION_INTAKE_MS: process.env.CROSSDOCK_EXCEPTION_INTAKE_MS } : {}) });
try {
  await waitForHttp(`${base}/healthz`, 180_000).catch((error) => {
    throw new Error(`the console did not start: ${error.message}\n${server.output.stdout}\n${server.output.stderr}`);
  });
  // The console judges transactions from facts its refresher computes at start; wait for that.
  const refreshStarted = performance.now();
  while (!(await (await fetch(`${base}/healthz`)).json()).facts.lastPassAt) await new Promise((r) => setTimeout(r, 250));
  const refreshSeconds = (performance.now() - refreshStarted) / 1000;
  const { cookie } = await signIn(base, 'bench', 'bench-password-1');
  const stuckId = 'S0000050';
  const pages: [string, string][] = [
    ['overview', '/'],
    ['stuck list', '/processes?state=breached&sort=sinceLastMilestone'],
    ['transaction page', `/transactions/${stuckId}`],
    ['30-day SLA report', `/sla?from=${new Date(Date.now() - 30 * 86_400_000).toISOString()}`],
  ];
  console.log(`Console server time, embedded ClickHouse, ${cpus().length} cores, Node ${process.version}`);
  console.log(`  loaded ${transactions.toLocaleString()} transactions, ${stored.toLocaleString()} spans over 30 days in ${loadSeconds.toFixed(0)} s`);
  if (loaded) console.log(`  (reused ${dataDir}, loaded ${((Date.now() - loaded.loadedAt) / 60_000).toFixed(0)} min ago)`);
  console.log(`  first full facts pass after start: ${refreshSeconds.toFixed(1)} s`);
  for (const [name, path] of pages) {
    const times: number[] = [];
    for (let i = 0; i < requests + 1; i++) {
      const started = performance.now();
      const response = await fetch(`${base}${path}`, { headers: { cookie: cookie! } });
      await response.text();
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
      if (i > 0) times.push(performance.now() - started); // the first request warms caches
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    console.log(`  ${name.padEnd(18)} p50 ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms (${requests} requests)`);
  }
  // The overview page serves a shared snapshot; this is what computing one costs.
  const computes: number[] = [];
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 5_500));
    computes.push((await (await fetch(`${base}/api/v1/overview`, { headers: { cookie: cookie! } })).json()).computeMs);
  }
  console.log(`  overview snapshot computation: ${computes.join(', ')} ms (refreshed at most every 5 s, shared by all viewers)`);
} finally {
  await server.stop();
  if (!keep) rmSync(dataDir, { recursive: true, force: true });
}
