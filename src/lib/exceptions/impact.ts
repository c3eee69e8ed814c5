import { z } from 'zod';
import { currentFacts, liveStateSql } from '../processes/state-sql';
import type { ClickHouse } from '../server/clickhouse';
import type { Incident, IncidentQueue } from './incident-queue';

/** Transactions per incident whose state is read for its SLA impact; beyond it the count is a lower bound. */
const IMPACT_SAMPLE = 2_000;
const STATE_CHUNK = 5_000;

/** The live state of each listed transaction (by correlation id). */
export async function statesOf(ch: ClickHouse, correlationIds: string[], now = new Date()): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const state = liveStateSql(now);
  for (let i = 0; i < correlationIds.length; i += STATE_CHUNK) {
    const result = await ch.client.query({
      query: `SELECT CorrelationId AS correlationId, state FROM (SELECT *, ${state.sql} FROM (${currentFacts('WHERE CorrelationId IN {ids:Array(String)}')}))`,
      query_params: { ...state.params, ids: correlationIds.slice(i, i + STATE_CHUNK) },
      format: 'JSONEachRow',
    });
    for (const row of z.array(z.object({ correlationId: z.string(), state: z.string() })).parse(await result.json())) found.set(row.correlationId, row.state);
  }
  return found;
}

/**
 * The SLA side of each incident's impact: how many of its open transactions are at risk or
 * already breached now, read from the process state in ClickHouse for the incidents on a page.
 */
export async function withSlaImpact(ch: ClickHouse, queue: IncidentQueue, incidents: Incident[], now = new Date()) {
  const ids = new Map(incidents.map((i) => [i.id, queue.openCorrelations(i.id, IMPACT_SAMPLE)]));
  const states = await statesOf(ch, [...new Set([...ids.values()].flat())], now);
  return incidents.map((incident) => {
    const mine = ids.get(incident.id)!;
    const slaAtRisk = mine.filter((id) => ['at_risk', 'breached'].includes(states.get(id) ?? '')).length;
    return { ...incident, slaAtRisk, slaAtRiskIsLowerBound: mine.length >= IMPACT_SAMPLE };
  });
}
