import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aSpanRow } from '../../../../test/factories/spans';
import { freshClickHouse } from '../../../../test/support/clickhouse';
import { clickHouseSpanSink } from '../../collectors/clickhouse-span-sink';
import { migrate, readMigrationDir, type ClickHouse } from '../../server/clickhouse';
import { refreshFacts } from '../facts-refresher';
import { defaultSlas } from '../slas';
import { breachedTransactions, slaBreaches, slaReportWithBreaches, slaReportWithDays } from './sla-report';

// Days wholly inside a report's period come from the daily rollup of finished steps; these tests
// check it agrees with judging the same steps live, and follows late data across days.
let ch: ClickHouse;
const D1 = Date.parse('2026-11-20T00:00:00.000Z');
const MIN = 60_000;
const DAY = 86_400_000;
const at = (ms: number) => new Date(D1 + ms);
const order = { process: 'order_fulfillment', serviceClass: 'realtime', warehouse: 'wms-rest' } as const;
const ack = (id: string, released: number, acknowledged?: number) => [
  { ...order, correlationId: id, milestone: 'released', at: at(released) },
  ...(acknowledged === undefined ? [] : [{ ...order, correlationId: id, milestone: 'acknowledged', at: at(acknowledged) }]),
];

let lastRefresh: number | undefined;
async function load(rows: Parameters<typeof aSpanRow>[0][]) {
  await clickHouseSpanSink(ch.client).write(rows.map(aSpanRow));
  lastRefresh = await refreshFacts(ch, defaultSlas, lastRefresh === undefined ? undefined : lastRefresh - 1);
}
const now = at(2 * DAY + 12 * 60 * MIN);
const step = (report: Awaited<ReturnType<typeof slaReportWithDays>>) => report.steps.find((s) => s.step === 'released→acknowledged')!;

beforeAll(async () => {
  ch = await freshClickHouse('sla_days');
  await migrate(ch, await readMigrationDir(fileURLToPath(new URL('../../../../migrations/', import.meta.url))));
  await load([
    ...ack('S-MET', 9 * 60 * MIN, 9 * 60 * MIN + 1 * MIN), // day 1, 1 min: met (2 min target)
    ...ack('S-LATE', 10 * 60 * MIN, 10 * 60 * MIN + 5 * MIN), // day 1, 5 min: late
  ]);
  await load([
    ...ack('S-OPEN', DAY + 9 * 60 * MIN), // day 2, still open: breached
    ...ack('S-MIDNIGHT', 2 * DAY - 1 * MIN, 2 * DAY + 3 * MIN), // starts on day 2, ends on day 3: late
  ]);
}, 60_000);
afterAll(async () => ch?.close());

describe('SLA report over whole days (daily rollup plus live open steps)', () => {
  it('counts finished steps from the rollup and open ones live, as judging every step live does', async () => {
    const whole = await slaReportWithDays(ch, { from: at(0), to: at(2 * DAY) }, now);
    expect(step(whole)).toMatchObject({ judged: 4, met: 1, late: 2, breached: 1, open: 0, attainment: 0.25 });
    // Day 1 also has both acknowledged→shipped steps, open for more than their 24 hours: breached.
    expect(whole.days).toEqual([
      { day: '2026-11-20', judged: 4, met: 1, attainment: 0.25 },
      { day: '2026-11-21', judged: 2, met: 0, attainment: 0 },
    ]);
    // Shifting both ends by 1 ms leaves no whole day at the ends: those are judged live.
    const live = await slaReportWithDays(ch, { from: at(1), to: at(2 * DAY - 1) }, now);
    expect(live.days).toEqual(whole.days);
    const [a, b] = [step(whole), step(live)];
    expect({ ...a, p50Ms: 0, p95Ms: 0, p99Ms: 0 }).toEqual({ ...b, p50Ms: 0, p95Ms: 0, p99Ms: 0 });
    for (const q of ['p50Ms', 'p95Ms', 'p99Ms'] as const) expect(a[q]).toBeCloseTo(b[q], -3);
  });

  it('moves a step between days when late data changes its start', async () => {
    await load(ack('S-MOVED', DAY + 30 * MIN, DAY + 31 * MIN)); // day 2: met, then acknowledged→shipped breached
    const before = await slaReportWithDays(ch, { from: at(0), to: at(2 * DAY) }, now);
    expect(before.days.map((d) => [d.judged, d.met])).toEqual([
      [4, 1],
      [4, 1],
    ]);
    // An earlier release, on day 1, reaches ClickHouse only now: the step is 41 min long, late.
    await load([{ ...order, correlationId: 'S-MOVED', milestone: 'released', at: at(DAY - 10 * MIN) }]);
    const after = await slaReportWithDays(ch, { from: at(0), to: at(2 * DAY) }, now);
    expect(after.days.map((d) => [d.judged, d.met])).toEqual([
      [5, 1],
      [3, 0],
    ]);
    expect(step(after)).toMatchObject({ judged: 5, met: 1, late: 3, breached: 1 });
  });

  it('lists the transactions behind breached and late steps of the period, earliest first', async () => {
    const breaches = await slaBreaches(ch, { from: at(0), to: at(2 * DAY) }, now);
    const rows = await breachedTransactions(ch, breaches, now);
    expect(rows.map((r) => [r.correlationId, r.state])).toEqual([
      ['S-MET', 'breached'], // acknowledged→shipped, from day 1 09:01
      ['S-LATE', 'breached'], // released→acknowledged, from day 1 10:00
      ['S-MOVED', 'breached'], // released→acknowledged, from day 1 23:50
      ['S-OPEN', 'breached'],
      ['S-MIDNIGHT', 'on_track'], // late released→acknowledged; its next step is within target
    ]);
  });

  it('gives the SLA page the same report and breach list from one read as from the two', async () => {
    // The embedded engine keeps materialized CTEs, so this compares the one-read path with the two reads.
    const [{ n }] = await (await ch.client.query({ query: "SELECT count() AS n FROM system.settings WHERE name = 'enable_materialized_cte'", format: 'JSONEachRow' })).json<{ n: string }>();
    expect(Number(n)).toBe(1);
    for (const period of [{ from: at(0), to: at(2 * DAY) }, { from: at(1), to: at(2 * DAY - 1) }]) {
      const [report, breaches] = await Promise.all([slaReportWithDays(ch, period, now), slaBreaches(ch, period, now)]);
      const together = await slaReportWithBreaches(ch, period, now);
      expect(together).toEqual({ ...report, breaches });
      expect(together.breaches.length).toBeGreaterThan(0);
    }
  });
});
