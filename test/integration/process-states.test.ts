import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickHouseSpanSink } from '../../src/lib/collectors/clickhouse-span-sink';
import { slaReport, slaReportWithDays } from '../../src/lib/processes/queries/sla-report';
import { countTransactions, listTransactions } from '../../src/lib/processes/queries/transactions';
import { defaultSlas } from '../../src/lib/processes/slas';
import { refreshFacts } from '../../src/lib/processes/facts-refresher';
import { migrate, readMigrationDir, type ClickHouse } from '../../src/lib/server/clickhouse';
import { freshClickHouse } from '../support/clickhouse';
import { aSpanRow } from '../factories/spans';

let ch: ClickHouse;
const T0 = new Date('2026-11-27T09:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;

beforeAll(async () => {
  ch = await freshClickHouse('states');
  await migrate(ch, await readMigrationDir(fileURLToPath(new URL('../../migrations/', import.meta.url))));
});
afterAll(async () => ch?.close());

let lastRefresh: number | undefined;
/** Stores spans, then runs the console's refresher over what arrived, as it does every few seconds. */
async function load(rows: Parameters<typeof aSpanRow>[0][]) {
  await clickHouseSpanSink(ch.client).write(rows.map(aSpanRow));
  lastRefresh = await refreshFacts(ch, defaultSlas, lastRefresh === undefined ? undefined : lastRefresh - 1);
}

async function stateOf(correlationId: string, now: Date) {
  const { items } = await listTransactions(ch, { search: correlationId }, now);
  const found = items.find((i) => i.correlationId === correlationId);
  if (!found) throw new Error(`no transaction ${correlationId}`);
  return found;
}

const order = { process: 'order_fulfillment', serviceClass: 'realtime', warehouse: 'wms-rest' } as const;

describe('transaction state from milestones and SLAs (real embedded ClickHouse)', () => {
  it('moves from on track to at risk at 80% and to breached at 100% of the step target', async () => {
    await load([{ ...order, correlationId: 'S-B1', milestone: 'released', at: T0 }]);
    // Release → acknowledged is 2 minutes for real-time orders.
    expect((await stateOf('S-B1', at(0.8 * 2 * MIN - 1))).state).toBe('on_track');
    expect((await stateOf('S-B1', at(0.8 * 2 * MIN))).state).toBe('at_risk');
    expect((await stateOf('S-B1', at(2 * MIN - 1))).state).toBe('at_risk');
    const breached = await stateOf('S-B1', at(2 * MIN));
    expect(breached).toMatchObject({ state: 'breached', currentStep: 'released', warehouse: 'wms-rest', serviceClass: 'realtime' });
    expect(breached.slaUsed).toBeCloseTo(1, 5);
  });

  it('uses the service class target: a standard order has 15 minutes', async () => {
    await load([{ ...order, serviceClass: 'standard', correlationId: 'S-STD', milestone: 'released', at: T0 }]);
    expect((await stateOf('S-STD', at(10 * MIN))).state).toBe('on_track');
    expect((await stateOf('S-STD', at(12 * MIN))).state).toBe('at_risk');
    expect((await stateOf('S-STD', at(15 * MIN))).state).toBe('breached');
  });

  it('corrects the state when a milestone arrives after the SLA was judged breached', async () => {
    await load([{ ...order, correlationId: 'S-LATE', milestone: 'released', at: T0 }]);
    expect((await stateOf('S-LATE', at(5 * MIN))).state).toBe('breached');
    // The acknowledgement happened at 1 minute but its span reaches ClickHouse only now.
    await load([{ ...order, correlationId: 'S-LATE', milestone: 'acknowledged', at: at(1 * MIN) }]);
    const corrected = await stateOf('S-LATE', at(5 * MIN));
    expect(corrected).toMatchObject({ state: 'on_track', currentStep: 'acknowledged' });
    expect(corrected.milestones).toEqual({ released: String(T0.getTime()), acknowledged: String(at(1 * MIN).getTime()) });
    const step = corrected.steps.find((s) => s[0] === 'released→acknowledged')!;
    expect(step[1]).toBe(1); // met
    expect(step[4]).toBe(1 * MIN);
  });

  it('completes, on time or late', async () => {
    const story = (id: string, confirmAfterShipMs: number) => [
      { ...order, correlationId: id, milestone: 'released', at: T0 },
      { ...order, correlationId: id, milestone: 'acknowledged', at: at(1 * MIN) },
      { ...order, correlationId: id, milestone: 'shipped', at: at(60 * MIN) },
      { ...order, correlationId: id, milestone: 'confirmed_in_odoo', at: at(60 * MIN + confirmAfterShipMs) },
    ];
    await load([...story('S-DONE', 4 * MIN), ...story('S-DONE-LATE', 6 * MIN)]);
    expect((await stateOf('S-DONE', at(3 * 60 * MIN))).state).toBe('completed');
    expect((await stateOf('S-DONE-LATE', at(3 * 60 * MIN))).state).toBe('completed_late');
    const late = await listTransactions(ch, { state: ['completed_late'] }, at(3 * 60 * MIN));
    expect(late.items.map((i) => i.correlationId)).toEqual(['S-DONE-LATE']);
    const done = await listTransactions(ch, { state: ['completed', 'breached'], search: 'S-DONE' }, at(3 * 60 * MIN));
    expect(done.items.map((i) => i.correlationId)).toEqual(['S-DONE']);
  });

  it('reports attainment and durations per step over a period', async () => {
    const rows = await slaReport(ch, { from: at(50 * MIN), to: at(70 * MIN), process: 'order_fulfillment' }, at(3 * 60 * MIN));
    // Only the shipped→confirmed steps of S-DONE (4 min, met) and S-DONE-LATE (6 min, late) start in this window.
    expect(rows).toEqual([
      expect.objectContaining({ step: 'shipped→confirmed_in_odoo', warehouse: 'wms-rest', serviceClass: 'realtime', targetMs: 5 * MIN, judged: 2, met: 1, late: 1, breached: 0, open: 0, attainment: 0.5 }),
    ]);
    expect(rows[0].p50Ms).toBeGreaterThanOrEqual(4 * MIN);
    expect(rows[0].p99Ms).toBeLessThanOrEqual(6 * MIN);
    // The one-pass form gives the same steps and the same daily trend.
    const query = { from: at(50 * MIN), to: at(70 * MIN), process: 'order_fulfillment' } as const;
    const both = await slaReportWithDays(ch, query, at(3 * 60 * MIN));
    expect(both.steps).toEqual(rows);
    expect(both.days).toEqual([{ day: '2026-11-27', judged: 2, met: 1, attainment: 0.5 }]);
  });

  it('marks a transaction failed when a message was dead-lettered, and remembers the warehouse it moved to', async () => {
    await load([
      { ...order, correlationId: 'S-DLQ', milestone: 'released', at: T0 },
      { ...order, correlationId: 'S-DLQ', at: at(10_000), error: true, outcome: 'dead_letter', category: 'validation_error' },
      { ...order, correlationId: 'S-DLQ', at: at(20_000), warehouse: 'edi-3pl' },
    ]);
    expect(await stateOf('S-DLQ', at(30_000))).toMatchObject({ state: 'failed', warehouse: 'edi-3pl', errors: 1, deadLetters: 1 });
  });

  it('filters, sorts and pages, and counts by state', async () => {
    await load(
      Array.from({ length: 5 }, (_, i) => ({ ...order, process: 'inventory_sync', correlationId: `INV-${i}`, milestone: 'reported', at: at(i * MIN), warehouse: 'wms-batch', serviceClass: 'standard' })),
    );
    const now = at(16 * MIN);
    const page = await listTransactions(ch, { process: 'inventory_sync', sort: 'age', order: 'desc', limit: 2, offset: 1 }, now);
    expect(page.total).toBe(5);
    expect(page.items.map((i) => i.correlationId)).toEqual(['INV-1', 'INV-2']);
    const breached = await listTransactions(ch, { process: 'inventory_sync', state: ['breached'] }, now);
    expect(breached.items.map((i) => i.correlationId).sort()).toEqual(['INV-0', 'INV-1']);
    const counts = await countTransactions(ch, now);
    const inventory = counts.filter((c) => c.process === 'inventory_sync');
    expect(Object.fromEntries(inventory.map((c) => [c.state, c.count]))).toEqual({ breached: 2, at_risk: 3 }); // 16, 15 min old: breached; 14, 13, 12 (= 80% of 15): at risk
  });
});
