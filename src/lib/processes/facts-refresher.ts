import type { ClickHouse } from '../server/clickhouse';
import { BREACH_LIST } from './queries/sla-report';
import type { SlaDefinition } from './slas';
import { transactionFactsSql } from './state-sql';

/** Above this many changed transactions a pass recomputes everything instead of a list. */
const MAX_LISTED = 50_000;

/**
 * Recomputes `transaction_facts_v1` rows in ClickHouse (INSERT … SELECT, no rows through
 * JavaScript): every transaction when `since` is undefined, otherwise those whose spans arrived
 * at or after `since` (ms). Finding the changed ones first reads one small column, so a pass with
 * nothing new costs milliseconds even with millions of transactions. Returns the time the pass
 * started, the next pass's `since`.
 */
export async function refreshFacts(ch: ClickHouse, slas: SlaDefinition[], since?: number): Promise<number> {
  const started = Date.now();
  let where = '';
  let ids: string[] | undefined;
  if (since !== undefined) {
    const result = await ch.client.query({
      query: `SELECT DISTINCT CorrelationId AS id FROM process_transactions_v1
              WHERE InsertedAt >= fromUnixTimestamp64Milli({since:Int64}) LIMIT {limit:UInt32}`,
      query_params: { since, limit: MAX_LISTED + 1 },
      format: 'JSONEachRow',
    });
    ids = (await result.json<{ id: string }>()).map((r) => r.id);
    if (ids.length === 0) return started;
    if (ids.length <= MAX_LISTED) where = 'WHERE CorrelationId IN {ids:Array(String)}';
  }
  const { sql, params } = transactionFactsSql(slas, where, started);
  await ch.client.command({ query: `INSERT INTO transaction_facts_v1 ${sql}`, query_params: { ...params, ids } });
  // The same pass's rows, flattened one per started step, for SLA reports.
  await ch.client.command({
    query: `INSERT INTO sla_steps_v1
            SELECT Process, CorrelationId, step, Version, Warehouse, ServiceClass, start, end, target
            FROM transaction_facts_v1
            ARRAY JOIN StepNames AS step, StepStarts AS start, StepEnds AS end, StepTargets AS target
            WHERE Version = {version:UInt64} AND start != 0`,
    query_params: { version: started },
  });
  // A full pass rewrote every step; drop what older SLA definitions produced.
  if (since === undefined) await ch.client.command({ query: 'DELETE FROM sla_steps_v1 WHERE Version < {version:UInt64}', query_params: { version: started } });
  await rollUpDays(ch, started, where ? ids : undefined);
  if (since === undefined) {
    await ch.client.command({ query: 'DELETE FROM sla_step_days_v1 WHERE Version < {version:UInt64}', query_params: { version: started } });
    // A full pass wrote a second version of every row: merge now, once, rather than have every
    // read merge the two (FINAL over two overlapping copies of 1M transactions costs ~0.15 s a read).
    await ch.client.command({ query: 'OPTIMIZE TABLE transaction_facts_v1 FINAL' });
    await ch.client.command({ query: 'OPTIMIZE TABLE sla_steps_v1 FINAL' });
  }
  return started;
}

/**
 * Rewrites the daily rollup of finished steps (`sla_step_days_v1`) for the days this pass may have
 * changed: every UTC start day of any finished version of the listed transactions' steps (so a day
 * a step left because late data moved its start is rewritten too), or all days when `ids` is
 * undefined.
 * Each rewritten day (with all days, each day the rollup held) also gets a marker row, so it has a
 * newest version even with no finished steps left.
 */
async function rollUpDays(ch: ClickHouse, version: number, ids?: string[]) {
  let days: number[] | undefined;
  if (ids) {
    const result = await ch.client.query({
      // Only finished steps are rolled up: a day where these transactions have none, in any version, is unchanged.
      query: 'SELECT DISTINCT toUInt32(intDiv(StartMs, 86400000)) AS day FROM sla_steps_v1 WHERE CorrelationId IN {ids:Array(String)} AND EndMs != 0',
      query_params: { ids },
      format: 'JSONEachRow',
    });
    days = (await result.json<{ day: number }>()).map((r) => Number(r.day));
    if (days.length === 0) return;
  }
  await ch.client.command({
    query: `INSERT INTO sla_step_days_v1
            SELECT toUInt32(intDiv(StartMs, 86400000)) AS Day, Process, Step, Warehouse, ServiceClass, {version:UInt64}, any(TargetMs),
              countIf(EndMs - StartMs <= TargetMs), countIf(EndMs - StartMs > TargetMs), quantilesTDigestState(0.5, 0.95, 0.99)(EndMs - StartMs),
              groupArraySortedIf(${BREACH_LIST})((StartMs, CorrelationId), EndMs - StartMs > TargetMs)
            FROM sla_steps_v1 FINAL
            WHERE EndMs != 0 ${days ? 'AND intDiv(StartMs, 86400000) IN {days:Array(UInt32)}' : ''}
            GROUP BY Day, Process, Step, Warehouse, ServiceClass`,
    query_params: { version, days },
  });
  await ch.client.command({
    query: `INSERT INTO sla_step_days_v1 (Day, Process, Step, Warehouse, ServiceClass, Version)
            SELECT ${days ? 'arrayJoin({days:Array(UInt32)})' : 'DISTINCT Day'}, '', '', '', '', {version:UInt64}
            ${days ? '' : 'FROM sla_step_days_v1 WHERE Version < {version:UInt64}'}`,
    query_params: { version, days },
  });
}

export interface FactsRefresherStatus {
  /** When the last successful pass started (ms); undefined until the first full pass is done. */
  lastPassAt?: number;
  lastPassMs?: number;
  failing: boolean;
  lastError?: string;
}

export interface FactsRefresher {
  /** Runs one pass now (tests, and after a burst) and resolves when it is done. */
  refreshNow(): Promise<void>;
  status(): FactsRefresherStatus;
  stop(): Promise<void>;
}

/**
 * Keeps transaction facts current: a full pass at start (so changed SLA definitions apply to
 * every transaction), then every `intervalMs` a pass over what arrived since the previous one
 * started, with a margin for spans still in flight through the views. A failed pass is retried
 * on the next tick and never stops the console.
 */
export function startFactsRefresher(ch: ClickHouse, slas: SlaDefinition[], options: { intervalMs?: number; onError?: (error: Error) => void } = {}): FactsRefresher {
  const intervalMs = options.intervalMs ?? 2_000;
  const marginMs = 5_000;
  let since: number | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const status: FactsRefresherStatus = { failing: false };

  const pass = () =>
    (running = running.then(async () => {
      try {
        const started = await refreshFacts(ch, slas, since === undefined ? undefined : since - marginMs);
        Object.assign(status, { lastPassAt: started, lastPassMs: Date.now() - started, failing: false, lastError: undefined });
        since = started;
      } catch (error) {
        Object.assign(status, { failing: true, lastError: (error as Error).message });
        options.onError?.(error as Error);
      }
    }));

  void pass();
  const timer = setInterval(() => {
    if (!stopped) void pass();
  }, intervalMs);
  timer.unref();
  return {
    refreshNow: () => pass(),
    status: () => ({ ...status }),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
