import { z } from 'zod';
import type { ClickHouse } from '../../server/clickhouse';
import { ServiceClass } from '../../integration/canonical/primitives';
import { ProcessName } from '../milestones';
import { currentFacts, liveStateSql } from '../state-sql';
import { TransactionState } from '../states';

/** Filters, sorting and paging for the transaction list (the console's Processes page and API). */
export const TransactionFilters = z.object({
  process: ProcessName.optional(),
  state: z.array(TransactionState).optional(),
  warehouse: z.string().max(64).optional(),
  serviceClass: ServiceClass.optional(),
  /** The latest milestone reached, e.g. `shipped` for confirmations that are due. */
  currentStep: z.string().max(64).optional(),
  /** Exactly this correlation id (a primary-key seek). */
  correlationId: z.string().max(128).optional(),
  /** Any of these correlation ids (primary-key seeks), e.g. the transactions behind a report's breaches. */
  correlationIds: z.array(z.string().max(128)).max(500).optional(),
  /** Part of the correlation id, case-insensitive. */
  search: z.string().max(128).optional(),
  /** Only transactions older than this. */
  minAgeMs: z.coerce.number().int().nonnegative().optional(),
  sort: z.enum(['age', 'sinceLastMilestone', 'slaUsed', 'correlationId']).default('age'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type TransactionFilters = z.input<typeof TransactionFilters>;

export const TransactionRow = z.object({
  process: z.string(),
  correlationId: z.string(),
  serviceClass: z.string(),
  state: TransactionState,
  currentStep: z.string(),
  warehouse: z.string(),
  slaUsed: z.number(),
  ageMs: z.coerce.number(),
  sinceLastMilestoneMs: z.coerce.number(),
  errors: z.coerce.number(),
  deadLetters: z.coerce.number(),
  milestones: z.record(z.string(), z.string()),
  steps: z.array(z.tuple([z.string(), z.coerce.number(), z.coerce.number(), z.coerce.number(), z.coerce.number()])),
});
export type TransactionRow = z.infer<typeof TransactionRow>;

const STORED_STATE: Record<TransactionState, string> = {
  on_track: 'Completed = 0',
  at_risk: 'Completed = 0',
  breached: 'Completed = 0',
  failed: 'Completed = 0',
  completed: '(Completed = 1 AND Late = 0)',
  completed_late: '(Completed = 1 AND Late = 1)',
};

const SORTS = { age: 'ageMs', sinceLastMilestone: 'sinceLastMilestoneMs', slaUsed: 'slaUsed', correlationId: 'correlationId' } as const;

/** Transactions with their state, filtered, sorted and paged, plus the total that matched. */
export async function listTransactions(
  ch: ClickHouse,
  input: TransactionFilters,
  now = new Date(),
): Promise<{ items: TransactionRow[]; total: number }> {
  const filters = TransactionFilters.parse(input);
  const state = liveStateSql(now);
  const params: Record<string, unknown> = { ...state.params, limit: filters.limit, offset: filters.offset };
  // Each condition is used only when its value is given, and binds it as a parameter.
  const conditions = (list: [string, string, unknown][]) =>
    list
      .filter(([, , value]) => value !== undefined && !(Array.isArray(value) && value.length === 0))
      .map(([sql, name, value]) => ((params[name] = value), sql));
  // Filters on stored columns; only the state needs the clock.
  const where = conditions([
    ['Process = {process:String}', 'process', filters.process],
    ['CorrelationId = {correlationId:String}', 'correlationId', filters.correlationId || undefined],
    ['CorrelationId IN {correlationIds:Array(String)}', 'correlationIds', filters.correlationIds],
    ['positionCaseInsensitive(CorrelationId, {search:String}) > 0', 'search', filters.search || undefined],
    ['Warehouse = {warehouse:String}', 'warehouse', filters.warehouse || undefined],
    ['ServiceClass = {serviceClass:String}', 'serviceClass', filters.serviceClass],
    ['CurrentStep = {currentStep:String}', 'currentStep', filters.currentStep || undefined],
    ['FirstSeen <= fromUnixTimestamp64Milli({now:Int64} - {minAgeMs:Int64})', 'minAgeMs', filters.minAgeMs],
  ]);
  // Stored columns already tell completed from open, and late from on time: rows that cannot be
  // in a requested state are skipped before anything is judged against the clock.
  if (filters.state?.length) where.push(`(${[...new Set(filters.state.map((s) => STORED_STATE[s]))].join(' OR ')})`);
  const outer = conditions([['state IN {states:Array(String)}', 'states', filters.state]]);

  // Sort column and direction come from the enums above, never from raw input. The milestone
  // maps are the costliest column to read, so they are fetched for the page only, below.
  const result = await ch.client.query({
    query: `
      SELECT Process AS process, CorrelationId AS correlationId, ServiceClass AS serviceClass, state, CurrentStep AS currentStep,
        Warehouse AS warehouse, slaUsed, ageMs, sinceLastMilestoneMs, Errors AS errors, DeadLetters AS deadLetters,
        arrayZip(StepNames, statuses, StepTargets, StepStarts, stepDurationsMs) AS steps,
        count() OVER () AS total
      FROM (SELECT *, ${state.sql} FROM (${currentFacts(where.length ? `WHERE ${where.join(' AND ')}` : '')}))
      ${outer.length ? `WHERE ${outer.join(' AND ')}` : ''}
      ORDER BY ${SORTS[filters.sort]} ${filters.order === 'asc' ? 'ASC' : 'DESC'}, correlationId ASC
      LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
    query_params: params,
    format: 'JSONEachRow',
  });
  const rows = await result.json<Record<string, unknown> & { process: string; correlationId: string; total: string }>();
  const milestones = await milestonesOf(ch, rows);
  const items = rows.map((row) => ({ ...row, milestones: milestones.get(`${row.process}\u0000${row.correlationId}`) ?? {} }));
  return { items: z.array(TransactionRow).parse(items), total: rows.length ? Number(rows[0].total) : 0 };
}

/** The milestone times (epoch ms as text) of a page of transactions. */
async function milestonesOf(ch: ClickHouse, rows: { process: string; correlationId: string }[]) {
  if (rows.length === 0) return new Map<string, Record<string, string>>();
  const result = await ch.client.query({
    query: `
      SELECT Process AS process, CorrelationId AS correlationId, mapApply((k, v) -> (k, toString(toUnixTimestamp64Milli(v))), Milestones) AS milestones
      FROM transaction_facts_v1 FINAL
      WHERE Process IN {processes:Array(String)} AND CorrelationId IN {ids:Array(String)}`,
    query_params: { processes: [...new Set(rows.map((r) => r.process))], ids: rows.map((r) => r.correlationId) },
    format: 'JSONEachRow',
  });
  const found = await result.json<{ process: string; correlationId: string; milestones: Record<string, string> }>();
  return new Map(found.map((f) => [`${f.process}\u0000${f.correlationId}`, f.milestones]));
}

export const StateCount = z.object({
  process: z.string(),
  state: TransactionState,
  currentStep: z.string(),
  warehouse: z.string(),
  count: z.coerce.number(),
});
export type StateCount = z.infer<typeof StateCount>;

/** How many transactions are in each state, per process, current step and warehouse. */
export async function countTransactions(ch: ClickHouse, now = new Date()): Promise<StateCount[]> {
  const state = liveStateSql(now);
  const result = await ch.client.query({
    query: `
      SELECT Process AS process, state, CurrentStep AS currentStep, Warehouse AS warehouse, count() AS count
      FROM (SELECT Process, CurrentStep, Warehouse, Completed, Late, DeadLetters, StepStarts, StepEnds, StepTargets, FirstSeen, LastMilestoneAt, ${state.sql}
            FROM (${currentFacts('')}))
      GROUP BY process, state, currentStep, warehouse
      ORDER BY process, state, currentStep, warehouse`,
    query_params: state.params,
    format: 'JSONEachRow',
  });
  return z.array(StateCount).parse(await result.json());
}
