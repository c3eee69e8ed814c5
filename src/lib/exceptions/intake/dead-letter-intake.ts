import { ExceptionCategory } from '../../integration/taxonomy';
import type { RuntimeAdminClient } from '../../server/runtime-admin';
import type { ExceptionReport, ExceptionStore } from '../exception-store';

const CURSOR = 'dead_letters';

/** A partner named in the dead letter's event (`data.partner`, `data.warehouseId`), if any. */
function partnerNamed(envelope: unknown, key: 'partner' | 'warehouseId'): string | undefined {
  const data = (envelope as { data?: Record<string, unknown> } | undefined)?.data;
  const value = data?.[key];
  return typeof value === 'string' && value ? value.slice(0, 64) : undefined;
}

/** The process step a dead letter's topic belongs to, for the incident's operation. */
const operationOf = (topic: string, eventType: string) => `deliver ${eventType || topic}`;

/**
 * Mirrors the runtime's dead letters as exceptions (they are what replay and discard act on), and
 * closes them when the runtime reports them replayed or discarded. Reads only what changed since
 * its cursor; re-reading the boundary is harmless because a dead letter's report is its total.
 */
export class DeadLetterIntake {
  constructor(
    private readonly runtime: RuntimeAdminClient,
    private readonly store: ExceptionStore,
  ) {}

  async pass(): Promise<{ read: number; newIncidents: number[] }> {
    if (!this.runtime.configured) return { read: 0, newIncidents: [] };
    const since = this.store.cursor(CURSOR) ?? new Date(0).toISOString();
    const letters = await this.runtime.deadLettersChangedSince(since);
    const reports: ExceptionReport[] = [];
    for (const letter of letters) {
      const sourceKey = `dead_letter:${letter.id}`;
      if (letter.status !== 'open') {
        this.store.close(sourceKey, `dead letter ${letter.status}`);
        continue;
      }
      const last = letter.attempts.at(-1);
      const category = ExceptionCategory.safeParse(letter.category);
      const warehouse = partnerNamed(letter.envelope, 'warehouseId') ?? (await this.routedWarehouse(letter.topic, letter.correlationId, sourceKey));
      reports.push({
        sourceKey,
        source: 'dead_letter',
        correlationId: letter.correlationId,
        warehouse,
        partner: partnerNamed(letter.envelope, 'partner') ?? warehouse ?? letter.topic,
        operation: operationOf(letter.topic, letter.eventType),
        error: last ? last.message : `dead-lettered (${letter.reason})`,
        attempts: letter.attempts.length,
        attemptsTotal: true,
        category: category.success ? category.data : 'unknown',
        deadLetterId: letter.id,
        at: Date.parse(letter.createdAt),
      });
    }
    const newIncidents = this.store
      .recordAll(reports)
      .filter((o) => o.newIncident)
      .map((o) => o.incidentId);
    const last = letters.at(-1);
    if (last) this.store.setCursor(CURSOR, last.updatedAt);
    return { read: letters.length, newIncidents };
  }

  /** An order's release names no warehouse; the runtime's routing decision does (asked once per new dead letter). */
  private async routedWarehouse(topic: string, correlationId: string, sourceKey: string): Promise<string | undefined> {
    if (!topic.startsWith('orders.') || this.store.isKnown(sourceKey)) return undefined;
    return this.runtime.orderWarehouse(correlationId);
  }
}
