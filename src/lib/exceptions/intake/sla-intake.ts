import { z } from 'zod';
import { currentFacts, liveStateSql } from '../../processes/state-sql';
import type { ClickHouse } from '../../server/clickhouse';
import type { ExceptionReport, ExceptionStore } from '../exception-store';

const Breached = z.object({
  process: z.string(),
  correlationId: z.string(),
  warehouse: z.string(),
  currentStep: z.string(),
  step: z.string(),
  overdueMs: z.coerce.number(),
});

/**
 * Raises every transaction that breached its SLA (stuck at a step past its target) as an
 * `sla_breach` exception on that step, and closes it once the transaction moves on or completes,
 * so a late milestone closes the exception it had caused. One narrow query per pass lists every
 * breached transaction (ids and the step, not the milestone maps), so a backlog of thousands is
 * raised at once and an exception whose transaction is missing from the list is known to be over.
 */
export class SlaIntake {
  constructor(
    private readonly clickhouse: ClickHouse,
    private readonly store: ExceptionStore,
  ) {}

  async pass(now = new Date()): Promise<{ read: number; newIncidents: number[]; closed: number }> {
    const state = liveStateSql(now);
    // Open transactions only (a stored column): completed ones cannot be breached.
    const result = await this.clickhouse.client.query({
      query: `
        SELECT Process AS process, CorrelationId AS correlationId, Warehouse AS warehouse, CurrentStep AS currentStep,
          indexOf(statuses, 4) AS i, StepNames[i] AS step, stepDurationsMs[i] - StepTargets[i] AS overdueMs
        FROM (SELECT *, ${state.sql} FROM (${currentFacts('WHERE Completed = 0')}))
        WHERE state = 'breached'`,
      query_params: state.params,
      format: 'JSONEachRow',
    });
    const breached = z.array(Breached).parse(await result.json());
    const keyOf = (tx: { process: string; correlationId: string; step: string }) => `sla:${tx.process}:${tx.correlationId}:${tx.step}`;
    const open = this.store.openKeys('sla');
    const current = new Set(breached.map(keyOf));

    let closed = 0;
    for (const key of open) if (!current.has(key) && this.store.close(key, 'transaction moved on')) closed++;
    const reports: ExceptionReport[] = breached
      .filter((tx) => !open.has(keyOf(tx)))
      .map((tx) => ({
        sourceKey: keyOf(tx),
        source: 'sla',
        correlationId: tx.correlationId,
        process: tx.process,
        warehouse: tx.warehouse || undefined,
        partner: tx.warehouse || 'runtime',
        operation: `${tx.process} ${tx.step}`,
        error: `${tx.process} step ${tx.step} breached its SLA: still at ${tx.currentStep || 'start'} ${Math.round(Math.max(0, tx.overdueMs) / 60_000)} min past the target`,
        attempts: 1,
        attemptsTotal: true,
        category: 'sla_breach',
        at: now.getTime(),
      }));
    const newIncidents = this.store
      .recordAll(reports)
      .filter((o) => o.newIncident)
      .map((o) => o.incidentId);
    return { read: breached.length, newIncidents, closed };
  }
}
