/**
 * How long the console takes from process start to a healthy /healthz, on a fresh data directory
 * (migrations applied) and on a warm one (nothing to apply), with the embedded ClickHouse.
 *
 *   npx tsx bench/console-startup.ts [--runs 5]
 *
 * Needs a built console (`npm run build`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, startCli, waitForHttp } from '../test/support/cli';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Math.min(Number(values.runs), 50);

async function timeToHealthy(dataDir: string): Promise<{ ms: number; rssMiB: number }> {
  const port = await freePort();
  const started = performance.now();
  const server = startCli(['console'], { CROSSDOCK_DATA_DIR: dataDir, CROSSDOCK_CONSOLE_PORT: String(port) });
  let response = await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000);
  while (response.status !== 200) response = await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000);
  const ms = performance.now() - started;
  const rssKiB = Number(readFileSync(`/proc/${server.child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
  await server.stop();
  return { ms, rssMiB: rssKiB / 1024 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cold: number[] = [];
const warm: number[] = [];
let rss = 0;
for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-bench-'));
  try {
    cold.push((await timeToHealthy(dir)).ms);
    const again = await timeToHealthy(dir);
    warm.push(again.ms);
    rss = Math.max(rss, again.rssMiB);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(`console start-up to healthy /healthz, embedded ClickHouse, ${runs} runs, ${cpus().length} cores`);
console.log(`  fresh data dir (migrations applied): median ${median(cold).toFixed(0)} ms, min ${Math.min(...cold).toFixed(0)}, max ${Math.max(...cold).toFixed(0)}`);
console.log(`  existing data dir (nothing to apply): median ${median(warm).toFixed(0)} ms, min ${Math.min(...warm).toFixed(0)}, max ${Math.max(...warm).toFixed(0)}`);
console.log(`  console RSS when healthy: ${rss.toFixed(0)} MiB`);
