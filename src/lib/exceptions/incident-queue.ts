import { z } from 'zod';
import { appendAudit } from '../audit';
import { ExceptionCategory, RemediationAction } from '../integration/taxonomy';
import type { ConsoleDb } from '../server/console-db';
import { escapeLike, SqlConditions } from '../server/sql-conditions';
import { ExceptionSource, IncidentStatus } from './exception-store';

/** The AI's classification of an incident, as stored. */
export const StoredClassification = z.object({
  category: ExceptionCategory,
  action: RemediationAction,
  confidence: z.number(),
  rationale: z.string(),
  engine: z.enum(['offline', 'llm']),
  model: z.string().optional(),
  latencyMs: z.number().optional(),
  fallbackReason: z.string().optional(),
});
export type StoredClassification = z.infer<typeof StoredClassification>;

/** Filters, sorting and paging of the triage queue (page and API). */
export const IncidentFilters = z.object({
  /** `active` is open or acknowledged. */
  status: z.enum(['active', 'open', 'acknowledged', 'resolved', 'all']).default('active'),
  category: ExceptionCategory.optional(),
  partner: z.string().max(64).optional(),
  /** A login, or `me` (resolved by the caller). */
  assignee: z.string().max(64).optional(),
  /** Part of a member's correlation id, the operation or the message. */
  q: z.string().max(128).optional(),
  sort: z.enum(['lastSeen', 'firstSeen', 'members']).default('lastSeen'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type IncidentFilters = z.input<typeof IncidentFilters>;

export interface Incident {
  id: number;
  category: ExceptionCategory;
  partner: string;
  operation: string;
  signature: string;
  sampleError: string;
  status: IncidentStatus;
  assignee: string | null;
  resolutionNote: string | null;
  resolvedBy: string | null;
  firstSeen: string;
  lastSeen: string;
  ageMs: number;
  members: number;
  openMembers: number;
  /** Distinct transactions among the open members. */
  ordersAffected: number;
  classification: StoredClassification | null;
  /** A person's confirmation or correction of the classification, which wins over the AI's. */
  confirmed: { category: ExceptionCategory; action: RemediationAction; by: string } | null;
}

export interface ExceptionMember {
  id: number;
  source: ExceptionSource;
  correlationId: string | null;
  process: string | null;
  warehouse: string | null;
  partner: string;
  operation: string;
  error: string;
  httpStatus: number | null;
  attempts: number;
  category: ExceptionCategory;
  deadLetterId: string | null;
  open: boolean;
  closedReason: string | null;
  firstSeen: string;
  lastSeen: string;
}

interface IncidentRow {
  id: number;
  category: string;
  partner: string;
  operation: string;
  signature: string;
  sample_error: string;
  status: string;
  assignee: string | null;
  resolution_note: string | null;
  resolved_by: string | null;
  first_seen: number;
  last_seen: number;
  members: number;
  open_members: number;
  orders: number;
  classification: string | null;
  confirmed_category: string | null;
  confirmed_action: string | null;
  confirmed_by: string | null;
}

export class TriageError extends Error {
  constructor(
    readonly status: 404 | 409 | 422,
    message: string,
  ) {
    super(message);
  }
}

const SORTS = { lastSeen: 'i.last_seen DESC', firstSeen: 'i.first_seen ASC', members: 'i.open_members DESC, i.last_seen DESC' } as const;
const ORDERS = `(SELECT count(DISTINCT correlation_id) FROM exceptions e WHERE e.incident_id = i.id AND e.open = 1) AS orders`;

/** The triage side of the exception queue: list, look at, assign, acknowledge, resolve, correct. */
export class IncidentQueue {
  constructor(private readonly db: ConsoleDb) {}

  list(input: IncidentFilters, me?: string): { total: number; items: Incident[] } {
    const f = IncidentFilters.parse(input);
    const where = new SqlConditions();
    if (f.status === 'active') where.add("i.status IN ('open', 'acknowledged')");
    else if (f.status !== 'all') where.add('i.status = ?', f.status);
    if (f.category) where.add('coalesce(i.confirmed_category, i.category) = ?', f.category);
    if (f.partner) where.add('i.partner = ?', f.partner);
    if (f.assignee) where.add('i.assignee = ?', f.assignee === 'me' ? (me ?? '') : f.assignee);
    if (f.q) {
      const like = `%${escapeLike(f.q)}%`;
      where.add(
        `(i.operation LIKE ? ESCAPE '\\' OR i.sample_error LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM exceptions e WHERE e.incident_id = i.id AND e.correlation_id LIKE ? ESCAPE '\\'))`,
        like, like, like,
      );
    }
    const { clause, params } = where;
    const total = (this.db.prepare(`SELECT count(*) AS n FROM incidents i ${clause}`).get(...params) as { n: number }).n;
    const rows = this.db.prepare(`SELECT i.*, ${ORDERS} FROM incidents i ${clause} ORDER BY ${SORTS[f.sort]} LIMIT ? OFFSET ?`).all(...params, f.limit, f.offset) as IncidentRow[];
    return { total, items: rows.map(toIncident) };
  }

  get(id: number): Incident | undefined {
    const row = this.db.prepare(`SELECT i.*, ${ORDERS} FROM incidents i WHERE i.id = ?`).get(id) as IncidentRow | undefined;
    return row && toIncident(row);
  }

  members(incidentId: number, options: { openOnly?: boolean; limit?: number } = {}): ExceptionMember[] {
    const rows = this.db
      .prepare(`SELECT * FROM exceptions WHERE incident_id = ? ${options.openOnly ? 'AND open = 1' : ''} ORDER BY open DESC, last_seen DESC LIMIT ?`)
      .all(incidentId, options.limit ?? 500) as Record<string, unknown>[];
    return rows.map(toMember);
  }

  /** Distinct transactions among an incident's open occurrences (at most `limit`). */
  openCorrelations(incidentId: number, limit: number): string[] {
    return (this.db.prepare('SELECT DISTINCT correlation_id AS id FROM exceptions WHERE incident_id = ? AND open = 1 AND correlation_id IS NOT NULL LIMIT ?').all(incidentId, limit) as { id: string }[]).map((r) => r.id);
  }

  /** Occurrences that concern one transaction, newest first, with their incident. */
  forCorrelation(correlationId: string): (ExceptionMember & { incidentId: number; incidentStatus: IncidentStatus })[] {
    const rows = this.db
      .prepare('SELECT e.*, i.status AS incident_status FROM exceptions e JOIN incidents i ON i.id = e.incident_id WHERE e.correlation_id = ? ORDER BY e.last_seen DESC LIMIT 100')
      .all(correlationId) as Record<string, unknown>[];
    return rows.map((row) => ({ ...toMember(row), incidentId: Number(row.incident_id), incidentStatus: row.incident_status as IncidentStatus }));
  }

  assign(id: number, assignee: string | null, actor: string): Incident {
    return this.change(id, actor, 'incident.assigned', (before) => {
      this.db.prepare('UPDATE incidents SET assignee = ? WHERE id = ?').run(assignee, id);
      return { before: { assignee: before.assignee }, after: { assignee } };
    });
  }

  acknowledge(id: number, actor: string): Incident {
    return this.change(id, actor, 'incident.acknowledged', (before) => {
      if (before.status !== 'open') throw new TriageError(409, `incident ${id} is ${before.status}, not open`);
      this.db.prepare("UPDATE incidents SET status = 'acknowledged', assignee = coalesce(assignee, ?) WHERE id = ?").run(actor, id);
      return { before: { status: before.status }, after: { status: 'acknowledged' } };
    });
  }

  resolve(id: number, note: string, actor: string): Incident {
    const text = note.trim();
    if (!text) throw new TriageError(422, 'a resolution needs a note saying what was done');
    return this.change(id, actor, 'incident.resolved', (before) => {
      if (before.status === 'resolved') throw new TriageError(409, `incident ${id} is already resolved`);
      this.db.prepare("UPDATE incidents SET status = 'resolved', resolution_note = ?, resolved_by = ?, resolved_at = ? WHERE id = ?").run(text.slice(0, 4_000), actor, Date.now(), id);
      return { before: { status: before.status }, after: { status: 'resolved' }, note: text.slice(0, 4_000) };
    });
  }

  /** Incidents without a classification yet, oldest first. */
  unclassified(limit: number): Incident[] {
    const rows = this.db.prepare('SELECT i.*, 0 AS orders FROM incidents i WHERE classification IS NULL ORDER BY id LIMIT ?').all(limit) as IncidentRow[];
    return rows.map(toIncident);
  }

  /** Stores the AI's classification (no audit entry: it decides nothing). */
  setClassification(id: number, classification: StoredClassification): void {
    this.db.prepare('UPDATE incidents SET classification = ?, classified_at = ? WHERE id = ?').run(JSON.stringify(StoredClassification.parse(classification)), Date.now(), id);
  }

  /** A person confirms or corrects the classification; it becomes an example the classifier learns from. */
  confirmClassification(id: number, input: { category: ExceptionCategory; action: RemediationAction }, actor: string): Incident {
    return this.change(id, actor, 'classification.corrected', (before) => {
      this.db.prepare('UPDATE incidents SET confirmed_category = ?, confirmed_action = ?, confirmed_by = ? WHERE id = ?').run(input.category, input.action, actor, id);
      return {
        before: before.confirmed ?? (before.classification && { category: before.classification.category, action: before.classification.action }),
        after: input,
        suggestion: before.classification,
      };
    });
  }

  /** Incidents a person confirmed, newest first: the classifier's examples. */
  confirmedExamples(limit: number): { incident: Incident; sample: ExceptionMember | undefined }[] {
    const rows = this.db.prepare('SELECT i.*, 0 AS orders FROM incidents i WHERE confirmed_category IS NOT NULL ORDER BY i.id DESC LIMIT ?').all(limit) as IncidentRow[];
    return rows.map((row) => ({ incident: toIncident(row), sample: this.members(row.id, { limit: 1 })[0] }));
  }

  /** Applies one audited change to an incident inside a transaction. */
  private change(id: number, actor: string, action: Parameters<typeof appendAudit>[1]['action'], apply: (before: Incident) => Record<string, unknown>): Incident {
    return this.db.transaction(() => {
      const before = this.get(id);
      if (!before) throw new TriageError(404, `no incident ${id}`);
      const detail = apply(before);
      appendAudit(this.db, { actor, action, subject: `incident:${id}`, detail });
      return this.get(id)!;
    }).immediate();
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

function toIncident(row: IncidentRow): Incident {
  return {
    id: row.id,
    category: row.category as ExceptionCategory,
    partner: row.partner,
    operation: row.operation,
    signature: row.signature,
    sampleError: row.sample_error,
    status: row.status as IncidentStatus,
    assignee: row.assignee,
    resolutionNote: row.resolution_note,
    resolvedBy: row.resolved_by,
    firstSeen: iso(row.first_seen),
    lastSeen: iso(row.last_seen),
    ageMs: Math.max(0, Date.now() - row.first_seen),
    members: row.members,
    openMembers: row.open_members,
    ordersAffected: row.orders,
    classification: row.classification ? StoredClassification.parse(JSON.parse(row.classification)) : null,
    confirmed: row.confirmed_category
      ? { category: row.confirmed_category as ExceptionCategory, action: row.confirmed_action as RemediationAction, by: row.confirmed_by ?? '' }
      : null,
  };
}

function toMember(row: Record<string, unknown>): ExceptionMember {
  return {
    id: Number(row.id),
    source: row.source as ExceptionSource,
    correlationId: (row.correlation_id as string | null) ?? null,
    process: (row.process as string | null) ?? null,
    warehouse: (row.warehouse as string | null) ?? null,
    partner: String(row.partner),
    operation: String(row.operation),
    error: String(row.error),
    httpStatus: (row.http_status as number | null) ?? null,
    attempts: Number(row.attempts),
    category: row.category as ExceptionCategory,
    deadLetterId: (row.dead_letter_id as string | null) ?? null,
    open: row.open === 1,
    closedReason: (row.closed_reason as string | null) ?? null,
    firstSeen: iso(Number(row.first_seen)),
    lastSeen: iso(Number(row.last_seen)),
  };
}
