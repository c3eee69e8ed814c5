import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { seededRandom } from '../wms-rest/sim-kit';
import { clockText, DemoClock } from './clock';
import { OdooControl, WarehouseControl, type Dialect } from './control-clients';
import { incidentActions, type StartedIncident } from './incidents';
import { OdooRpc, type OdooLogin } from './odoo-rpc';
import { ordersBetween } from './order-pace';
import { demoDay, transitionsBetween, type ScheduledIncident, type Transition } from './schedule';
import { defaultWorkPolicy, WarehouseWork, type WorkPolicy } from './warehouse-work';

export interface TrafficOptions {
  /** The Odoo simulator (its `/_sim/orders` and its JSON-RPC API, with this login). */
  odoo: OdooLogin;
  /** Each warehouse simulator's control plane, by the topology's warehouse id. */
  warehouses: { id: string; dialect: Dialect; controlUrl: string }[];
  /** Demo minutes per real minute. @defaultValue 48 (a day in 30 minutes) */
  speed?: number;
  /** Orders per demo hour at the quietest working hour; the day curve multiplies it. @defaultValue 20 */
  baseOrdersPerHour?: number;
  /** Local time the first demo day starts at, in minutes after midnight. @defaultValue 480 (08:00) */
  startMinuteOfDay?: number;
  /** Play the incident schedule. @defaultValue true */
  incidents?: boolean;
  /** @defaultValue demoDay */
  schedule?: readonly ScheduledIncident[];
  /** Real time between steps, in ms. @defaultValue 1000 */
  tickMs?: number;
  /** Where the demo clock is kept, so a restart resumes the day where it stopped; unset starts afresh. */
  stateFile?: string;
  work?: Partial<WorkPolicy>;
  seed?: number;
  /** Where progress lines go. @defaultValue console.log */
  log?: (line: string) => void;
}

/** Counts since start, for the hourly summary and for tests. */
export interface TrafficStats {
  ordersCreated: number;
  incidentsStarted: number;
  incidentsEnded: number;
  fulfilled: number;
  returns: number;
  receipts: number;
  errors: number;
}

export interface RunningTraffic {
  clock: DemoClock;
  stats: TrafficStats;
  /** Ends every incident still on, saves the clock and stops. */
  stop(): Promise<void>;
}

/** Orders owed beyond this are dropped: an Odoo that was down for an hour gets no flood when back. */
const MAX_ORDERS_PER_STEP = 200;
/** A target that keeps failing is reported at most this often, in real ms. */
const REPORT_EVERY_MS = 60_000;

const SavedClock = z.object({ elapsedMinutes: z.number().min(0) });

/**
 * Plays distribution days against the simulators: orders created in Odoo along the day curve,
 * the warehouse work the simulators need a nudge for, and the scheduled incidents, each printed
 * as it happens. Bounded (orders per step, what it remembers) and stoppable.
 */
export async function startTraffic(options: TrafficOptions): Promise<RunningTraffic> {
  const log = options.log ?? ((line: string) => console.log(line));
  const saved = options.stateFile && existsSync(options.stateFile) ? SavedClock.safeParse(JSON.parse(readFileSync(options.stateFile, 'utf8'))) : undefined;
  const clock = new DemoClock({ speed: options.speed ?? 48, startMinuteOfDay: options.startMinuteOfDay, elapsedMinutes: saved?.success ? saved.data.elapsedMinutes : 0 }, Date.now());
  const pace = { baseOrdersPerHour: options.baseOrdersPerHour ?? 20, startMinuteOfDay: clock.startMinuteOfDay };
  const schedule = options.incidents === false ? [] : (options.schedule ?? demoDay);
  const odoo = new OdooControl(options.odoo.url);
  const warehouses = new Map(options.warehouses.map((w) => [w.id, new WarehouseControl(w.id, w.dialect, w.controlUrl)]));
  const policy = { ...defaultWorkPolicy, ...options.work };
  const work = [...warehouses.values()].map((w) => new WarehouseWork(w, policy));
  const context = { rpc: new OdooRpc(options.odoo), warehouses, random: seededRandom(options.seed ?? 42) };
  const stats: TrafficStats = { ordersCreated: 0, incidentsStarted: 0, incidentsEnded: 0, fulfilled: 0, returns: 0, receipts: 0, errors: 0 };
  const active = new Map<string, StartedIncident>();
  const failing = new Map<string, number>();
  const say = (elapsed: number, text: string) => log(`traffic   [${clock.label(elapsed)}] ${text}`);

  /** Runs one piece of work; a failure is reported (not too often) and the day goes on. */
  const attempt = async (target: string, elapsed: number, work: () => Promise<void>) => {
    try {
      await work();
      if (failing.delete(target)) say(elapsed, `${target} answers again`);
    } catch (error) {
      stats.errors += 1;
      const last = failing.get(target);
      if (last === undefined || Date.now() - last >= REPORT_EVERY_MS) {
        failing.set(target, Date.now());
        say(elapsed, `${target}: ${(error as Error).message}; trying again`);
      }
    }
  };

  const transition = async (t: Transition) => {
    if (t.kind === 'end') {
      const started = active.get(t.key);
      if (!started) return; // never started (its simulator was down), or started before a restart
      active.delete(t.key);
      await attempt(`incident ${t.entry.incident}`, t.at, async () => {
        say(t.at, await started.end());
        stats.incidentsEnded += 1;
      });
      return;
    }
    await attempt(`incident ${t.entry.incident}`, t.at, async () => {
      const started = await incidentActions[t.entry.incident](context, { entry: t.entry, windowMs: clock.realMsFor(t.entry.forMinutes) });
      active.set(t.key, started);
      stats.incidentsStarted += 1;
      say(t.at, `${started.said}, until ${clockText(clock.timeOf(t.at + t.entry.forMinutes).clockMinute)}`);
    });
  };

  const save = (elapsed: number) => {
    if (!options.stateFile) return;
    mkdirSync(dirname(options.stateFile), { recursive: true });
    writeFileSync(`${options.stateFile}.tmp`, JSON.stringify({ elapsedMinutes: elapsed }));
    renameSync(`${options.stateFile}.tmp`, options.stateFile);
  };

  let previous = clock.elapsedAt(Date.now());
  let owed = 0;
  let hour = { index: Math.floor(previous / 60), orders: 0, fulfilled: 0, returns: 0, receipts: 0 };

  const step = async () => {
    const now = clock.elapsedAt(Date.now());
    for (const t of transitionsBetween(schedule, previous, now)) await transition(t);
    owed = Math.min(MAX_ORDERS_PER_STEP, owed + ordersBetween(previous, now, pace));
    // (The epsilon keeps float sums such as 3 × 1/3 from falling just short of a whole order.)
    const count = Math.floor(owed + 1e-9);
    await Promise.all([
      count > 0
        ? attempt('odoo', now, async () => {
            owed -= count;
            const names = await odoo.createOrders(count);
            stats.ordersCreated += names.length;
            hour.orders += names.length;
          })
        : undefined,
      ...work.map((w) =>
        attempt(w.warehouse.id, now, async () => {
          const done = await w.step(now);
          const counts = { fulfilled: done.fulfilled.length, returns: done.returned.length, receipts: done.received.length };
          for (const key of ['fulfilled', 'returns', 'receipts'] as const) {
            stats[key] += counts[key];
            hour[key] += counts[key];
          }
          if (done.returned.length > 0) say(now, `${w.warehouse.id} received a return for ${done.returned.join(', ')}`);
        }),
      ),
    ]);
    if (Math.floor(now / 60) > hour.index) {
      say(now, `last hour: ${hour.orders} orders released in Odoo; warehouses nudged to ship ${hour.fulfilled}, ${hour.returns} returns, ${hour.receipts} goods receipts; ${active.size === 1 ? '1 incident' : `${active.size} incidents`} on`);
      hour = { index: Math.floor(now / 60), orders: 0, fulfilled: 0, returns: 0, receipts: 0 };
      save(now);
    }
    previous = now;
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const loop = () => {
    running = step().finally(() => {
      if (!stopped) timer = setTimeout(loop, options.tickMs ?? 1_000);
    });
  };
  say(previous, `playing at ${clock.speed}× (a demo day in ${Math.round(clock.realMsFor(1_440) / 60_000)} min), ${pace.baseOrdersPerHour} orders/h at the quietest working hour; incidents ${schedule.length > 0 ? schedule.map((s) => `${clockText(clock.startMinuteOfDay + s.at)} ${s.incident}`).join(', ') : 'off'}`);
  loop();

  return {
    clock,
    stats,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      const now = clock.elapsedAt(Date.now());
      // Faults the demo switched on must not outlive it: a WMS left down would confuse whoever looks next.
      for (const [key, started] of active) {
        active.delete(key);
        await attempt('incident', now, async () => say(now, await started.end()));
      }
      save(now);
      say(now, 'stopped');
    },
  };
}
