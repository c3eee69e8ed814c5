import { listTransactions } from '../../processes/queries/transactions';
import type { ClickHouse } from '../../server/clickhouse';
import type { ExceptionStore } from '../exception-store';
import { statesOf } from '../impact';

/** Breached transactions raised per pass, oldest first; the rest follow in later passes. */
const BATCH = 500;
const CHECK_CHUNK = 1_000;

/**
 * Raises every transaction that breached its SLA (stuck at a step past its target) as an
 * `sla_breach` exception on that step, and closes it once the transaction moves on or completes.
 * Late milestones therefore close the exception they had caused.
 */
export class SlaIntake {
  constructor(
    private readonly clickhouse: ClickHouse,
    private readonly store: ExceptionStore,
  ) {}

  async pass(now = new Date()): Promise<{ read: number; newIncidents: number[]; closed: number }> {
    const closed = await this.closeRecovered(now);
    const { items } = await listTransactions(this.clickhouse, { state: ['breached'], sort: 'age', order: 'desc', limit: BATCH }, now);
    const newIncidents: number[] = [];
    for (const tx of items) {
      const step = tx.steps.find(([, status]) => status === 4);
      const stepName = step?.[0] ?? `after ${tx.currentStep}`;
      const overdueMs = step ? step[4] - step[2] : tx.sinceLastMilestoneMs;
      const outcome = this.store.record({
        sourceKey: `sla:${tx.process}:${tx.correlationId}:${stepName}`,
        source: 'sla',
        correlationId: tx.correlationId,
        process: tx.process,
        warehouse: tx.warehouse || undefined,
        partner: tx.warehouse || 'runtime',
        operation: `${tx.process} ${stepName}`,
        error: `${tx.process} step ${stepName} breached its SLA: still at ${tx.currentStep || 'start'} ${Math.round(Math.max(0, overdueMs) / 60_000)} min past the target`,
        attempts: 1,
        attemptsTotal: true,
        category: 'sla_breach',
        at: now.getTime(),
      });
      if (outcome.newIncident) newIncidents.push(outcome.incidentId);
    }
    return { read: items.length, newIncidents, closed };
  }

  /** Closes raised breaches whose transaction is no longer breached. */
  private async closeRecovered(now: Date): Promise<number> {
    const open = this.store.openKeys('sla');
    let closed = 0;
    for (let i = 0; i < open.length; i += CHECK_CHUNK) {
      const chunk = open.slice(i, i + CHECK_CHUNK);
      const states = await statesOf(this.clickhouse, chunk.map((e) => e.correlationId ?? ''), now);
      for (const exception of chunk) {
        const state = states.get(exception.correlationId ?? '');
        if (state !== undefined && state !== 'breached' && this.store.close(exception.sourceKey, `transaction ${state.replace('_', ' ')}`)) closed++;
      }
    }
    return closed;
  }
}
