/**
 * The soak's memory watch: the processes `crossdock start` runs (found through the process tree
 * under the start process, named by their command line), their RSS read from /proc, and the
 * table and growth verdict printed at the end.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** One sample: when (ms since the run began) and RSS in KiB per process name. */
export interface RssSample {
  atMs: number;
  rssKiB: Map<string, number>;
}

/** Growth beyond this share between the middle and the last third of the run is flagged. */
export const GROWTH_LIMIT = 0.2;

const readText = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** Direct children of `pid`: from /proc/<pid>/task/<tid>/children when the kernel keeps it, else by scanning every /proc/<n>/stat for its parent. */
function childrenOf(pid: number): number[] {
  const tasks = (() => {
    try {
      return readdirSync(`/proc/${pid}/task`);
    } catch {
      return [];
    }
  })();
  const listed = tasks.map((tid) => readText(`/proc/${pid}/task/${tid}/children`));
  if (listed.length > 0 && listed.every((text) => text !== undefined))
    return listed.flatMap((text) => text!.trim().split(/\s+/).filter(Boolean).map(Number));
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readText(`/proc/${entry}/stat`);
    // The command name in parentheses may hold spaces or parentheses itself: fields follow the last ')'.
    const parent = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : NaN;
    if (parent === pid) found.push(Number(entry));
  }
  return found;
}

/** What a `crossdock` process is, from its arguments: `start` is the console (it serves the console in-process). */
function nameOf(pid: number): string | undefined {
  const args = readText(`/proc/${pid}/cmdline`)?.split('\0').filter(Boolean);
  if (!args) return undefined;
  const at = args.findIndex((a) => a.endsWith('crossdock.js'));
  if (at < 0) return undefined;
  const [command, sub] = args.slice(at + 1);
  if (command === 'start') return 'console';
  if (command === 'simulate') return sub === 'smtp-catcher' ? 'smtp' : 'simulate';
  return command;
}

/** The start process and everything under it, by name (console, simulate, smtp, runtime, traffic). */
export function processTree(startPid: number): Map<string, number> {
  const named = new Map<string, number>();
  const queue = [startPid];
  for (let seen = 0; queue.length > 0 && seen < 64; seen++) {
    const pid = queue.shift()!;
    const name = nameOf(pid);
    if (name && !named.has(name)) named.set(name, pid);
    queue.push(...childrenOf(pid));
  }
  return named;
}

/** VmRSS of a process in KiB; undefined once it has exited. */
export function rssKiB(pid: number): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readText(`/proc/${pid}/status`) ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Samples the RSS of every named process. */
export function sampleRss(processes: Map<string, number>, atMs: number): RssSample {
  const rss = new Map<string, number>();
  for (const [name, pid] of processes) {
    const kib = rssKiB(pid);
    if (kib !== undefined) rss.set(name, kib);
  }
  return { atMs, rssKiB: rss };
}

const mib = (kib: number) => (kib / 1024).toFixed(0);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const clock = (ms: number) => `${String(Math.floor(ms / 60_000)).padStart(2, '0')}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`;

/** Per process: where its RSS started, peaked and ended, and whether it grew from the middle third of the run to the last. */
export interface RssVerdict {
  name: string;
  firstMiB: number;
  maxMiB: number;
  lastMiB: number;
  middleMiB: number;
  lastThirdMiB: number;
  growth: number;
  verdict: 'flat' | 'growing' | 'too few samples';
}

/**
 * Compares the mean of the last third of the samples with the middle third (the first third is
 * warm-up: chDB mapping its library, caches filling); more than {@link GROWTH_LIMIT} is "growing".
 */
export function rssVerdicts(samples: RssSample[], names: string[]): RssVerdict[] {
  return names.map((name) => {
    const series = samples.map((s) => s.rssKiB.get(name)).filter((v): v is number => v !== undefined);
    const third = Math.floor(series.length / 3);
    const middle = series.slice(third, 2 * third);
    const last = series.slice(2 * third);
    const growth = middle.length > 0 && last.length > 0 ? mean(last) / mean(middle) - 1 : NaN;
    return {
      name,
      firstMiB: (series[0] ?? NaN) / 1024,
      maxMiB: Math.max(...series) / 1024,
      lastMiB: (series.at(-1) ?? NaN) / 1024,
      middleMiB: mean(middle) / 1024,
      lastThirdMiB: mean(last) / 1024,
      growth,
      verdict: third < 1 ? 'too few samples' : growth > GROWTH_LIMIT ? 'growing' : 'flat',
    };
  });
}

/**
 * The RSS table (MiB, one row per sample) and the verdict per process, as printed lines. The
 * verdict is judged on `samples` (the run); `extra` rows (after the drain) are shown, not judged.
 */
export function rssReport(samples: RssSample[], names: string[], extra: { label: string; sample: RssSample }[] = []): string[] {
  const width = Math.max(9, ...names.map((n) => n.length + 1));
  const row = (label: string, s: RssSample) => `  ${label.padEnd(8)}${names.map((n) => (s.rssKiB.has(n) ? mib(s.rssKiB.get(n)!) : '-').padStart(width)).join('')}`;
  const lines = [`  ${'elapsed'.padEnd(8)}${names.map((n) => n.padStart(width)).join('')}   (RSS, MiB)`];
  for (const s of samples) lines.push(row(clock(s.atMs), s));
  for (const e of extra) lines.push(`${row(clock(e.sample.atMs), e.sample)}   ${e.label}`);
  lines.push('', `  ${'process'.padEnd(10)}${['first', 'max', 'last', 'mid ⅓', 'last ⅓', 'growth'].map((h) => h.padStart(8)).join('')}  verdict`);
  for (const v of rssVerdicts(samples, names))
    lines.push(
      `  ${v.name.padEnd(10)}${[v.firstMiB, v.maxMiB, v.lastMiB, v.middleMiB, v.lastThirdMiB].map((x) => x.toFixed(0).padStart(8)).join('')}${(Number.isFinite(v.growth) ? `${(v.growth * 100).toFixed(1)}%` : '-').padStart(8)}  ${v.verdict}`,
    );
  return lines;
}
