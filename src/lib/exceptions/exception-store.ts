import { z } from 'zod';
import { appendAudit } from '../audit';
import { ExceptionCategory } from '../integration/taxonomy';
import type { ConsoleDb } from '../server/console-db';
import { groupKeyOf } from './fingerprint';

/** Where an exception came from. */
export const ExceptionSource = z.enum(['dead_letter', 'partner_call', 'circuit', 'flow', 'sla', 'reconciliation', 'webhook']);
export type ExceptionSource = z.infer<typeof ExceptionSource>;

/** One occurrence of trouble as a source reports it; the same `sourceKey` again updates it. */
export interface ExceptionReport {
  /** Stable per occurrence: `dead_letter:<id>`, `span:<correlation>:<operation>`, `sla:<correlation>:<step>`. */
  sourceKey: string;
  source: ExceptionSource;
  correlationId?: string;
  process?: string;
  warehouse?: string;
  /** The partner or component involved: `wms-rest`, `odoo`, `runtime`. */
  partner: string;
  operation: string;
  error: string;
  httpStatus?: number;
  /** Failed attempts seen in this report; added to what was recorded unless `attemptsTotal`. */
  attempts?: number;
  /** The report carries the total (a dead letter's attempts) rather than new ones. */
  attemptsTotal?: boolean;
  category: ExceptionCategory;
  deadLetterId?: string;
  at: number;
}

export const IncidentStatus = z.enum(['open', 'acknowledged', 'resolved']);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

const SYSTEM = 'system';

export interface RecordOutcome {
  incidentId: number;
  /** A new incident, which needs classifying. */
  newIncident: boolean;
}

/**
 * The exception queue's storage: occurrences (`exceptions`) grouped into incidents by category,
 * partner, operation and message signature, so a 500-order outage is one incident with 500
 * members. Every method is one SQLite transaction.
 */
export class ExceptionStore {
  constructor(private readonly db: ConsoleDb) {}

  /** Records or updates one occurrence; reopens its incident when it was resolved. */
  record(report: ExceptionReport): RecordOutcome {
    return this.db.transaction(() => {
      const existing = this.db.prepare('SELECT id, incident_id, open, attempts FROM exceptions WHERE source_key = ?').get(report.sourceKey) as
        | { id: number; incident_id: number; open: number; attempts: number }
        | undefined;
      if (existing) {
        const attempts = report.attemptsTotal ? (report.attempts ?? existing.attempts) : existing.attempts + (report.attempts ?? 1);
        this.db
          .prepare('UPDATE exceptions SET error = ?, http_status = coalesce(?, http_status), attempts = ?, last_seen = max(last_seen, ?), open = 1, closed_reason = NULL WHERE id = ?')
          .run(report.error.slice(0, 4_000), report.httpStatus ?? null, attempts, report.at, existing.id);
        this.db.prepare('UPDATE incidents SET last_seen = max(last_seen, ?), open_members = open_members + ? WHERE id = ?').run(report.at, existing.open ? 0 : 1, existing.incident_id);
        if (!existing.open) this.reopenIfResolved(existing.incident_id, report);
        return { incidentId: existing.incident_id, newIncident: false };
      }
      const { key, signature } = groupKeyOf(report);
      let incident = this.db.prepare('SELECT id FROM incidents WHERE group_key = ?').get(key) as { id: number } | undefined;
      const newIncident = !incident;
      if (!incident) {
        const result = this.db
          .prepare(
            `INSERT INTO incidents (group_key, category, partner, operation, signature, sample_error, first_seen, last_seen)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(key, report.category, report.partner, report.operation, signature, report.error.slice(0, 4_000), report.at, report.at);
        incident = { id: Number(result.lastInsertRowid) };
      }
      this.db
        .prepare(
          `INSERT INTO exceptions (source_key, incident_id, source, correlation_id, process, warehouse, partner, operation, error, http_status,
             attempts, category, dead_letter_id, first_seen, last_seen)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          report.sourceKey, incident.id, report.source, report.correlationId ?? null, report.process ?? null, report.warehouse ?? null,
          report.partner, report.operation, report.error.slice(0, 4_000), report.httpStatus ?? null, report.attempts ?? 1, report.category,
          report.deadLetterId ?? null, report.at, report.at,
        );
      this.db.prepare('UPDATE incidents SET members = members + 1, open_members = open_members + 1, last_seen = max(last_seen, ?) WHERE id = ?').run(report.at, incident.id);
      if (!newIncident) this.reopenIfResolved(incident.id, report);
      return { incidentId: incident.id, newIncident };
    })();
  }

  /** Records many reports in one transaction (one fsync for a whole intake batch). */
  recordAll(reports: Iterable<ExceptionReport>): RecordOutcome[] {
    return this.db.transaction(() => [...reports].map((report) => this.record(report)))();
  }

  /**
   * Closes an occurrence that went away by itself or by remediation (a dead letter replayed, a
   * transaction that moved on). An incident whose members are all closed resolves itself.
   */
  close(sourceKey: string, reason: string): boolean {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT id, incident_id FROM exceptions WHERE source_key = ? AND open = 1').get(sourceKey) as { id: number; incident_id: number } | undefined;
      if (!row) return false;
      this.db.prepare('UPDATE exceptions SET open = 0, closed_reason = ? WHERE id = ?').run(reason, row.id);
      this.db.prepare('UPDATE incidents SET open_members = open_members - 1 WHERE id = ?').run(row.incident_id);
      const incident = this.db.prepare('SELECT status, open_members FROM incidents WHERE id = ?').get(row.incident_id) as { status: string; open_members: number };
      if (incident.open_members === 0 && incident.status !== 'resolved') {
        const note = `every occurrence closed (last: ${reason})`;
        this.db.prepare("UPDATE incidents SET status = 'resolved', resolved_by = ?, resolved_at = ?, resolution_note = ? WHERE id = ?").run(SYSTEM, Date.now(), note, row.incident_id);
        appendAudit(this.db, { actor: SYSTEM, action: 'incident.resolved', subject: `incident:${row.incident_id}`, detail: { before: { status: incident.status }, after: { status: 'resolved' }, note } });
      }
      return true;
    })();
  }

  /** Whether an occurrence was recorded already (open or closed). */
  isKnown(sourceKey: string): boolean {
    return this.db.prepare('SELECT 1 FROM exceptions WHERE source_key = ?').get(sourceKey) !== undefined;
  }

  /** The keys of one source's open occurrences, for sources that check whether they still hold. */
  openKeys(source: ExceptionSource): Set<string> {
    const rows = this.db.prepare('SELECT source_key AS sourceKey FROM exceptions WHERE source = ? AND open = 1').all(source) as { sourceKey: string }[];
    return new Set(rows.map((r) => r.sourceKey));
  }

  /** How many of one source's occurrences are open (e.g. the dead-letter depth alerting watches). */
  openCount(source: ExceptionSource): number {
    return (this.db.prepare('SELECT count(*) AS n FROM exceptions WHERE source = ? AND open = 1').get(source) as { n: number }).n;
  }

  /** Whether a resolved incident received a new or returning occurrence: it is open again. */
  private reopenIfResolved(incidentId: number, report: ExceptionReport) {
    const reopened = this.db.prepare("UPDATE incidents SET status = 'open', resolved_at = NULL, resolved_by = NULL WHERE id = ? AND status = 'resolved'").run(incidentId).changes > 0;
    if (reopened)
      appendAudit(this.db, { actor: SYSTEM, action: 'incident.reopened', subject: `incident:${incidentId}`, detail: { note: `happened again: ${report.sourceKey}` } });
  }

  cursor(source: string): string | undefined {
    return (this.db.prepare('SELECT position FROM intake_cursors WHERE source = ?').get(source) as { position: string } | undefined)?.position;
  }

  setCursor(source: string, position: string): void {
    this.db.prepare('INSERT INTO intake_cursors (source, position) VALUES (?, ?) ON CONFLICT(source) DO UPDATE SET position = excluded.position').run(source, position);
  }
}
