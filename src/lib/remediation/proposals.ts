import { randomUUID } from 'node:crypto';
import { appendAudit } from '../audit';
import type { IncidentQueue } from '../exceptions';
import type { RemediationAction } from '../integration/taxonomy';
import type { ConsoleDb } from '../server/console-db';
import { SqlConditions } from '../server/sql-conditions';
import { EXECUTABLE, ProposalParams, type Proposal, type ProposalStatus, type Suggestion, type Target, type TargetOutcome } from './proposal';

export class RemediationError extends Error {
  constructor(
    readonly status: 403 | 404 | 409 | 422,
    message: string,
  ) {
    super(message);
  }
}

interface Row {
  id: string;
  incident_id: number | null;
  action: string;
  params: string;
  targets: string;
  origin: string;
  suggestion: string | null;
  proposed_by: string;
  participants: string;
  status: string;
  decided_by: string | null;
  decided_at: number | null;
  decision_note: string | null;
  outcome: string | null;
  finished_at: number | null;
  created_at: number;
  expires_at: number;
}

export interface ProposeInput {
  incidentId: number;
  action: RemediationAction;
  params?: ProposalParams;
  /** Only the incident's occurrences on this transaction (the transaction page's actions). */
  correlationId?: string;
  /** Set when a person accepts the classifier's suggestion. */
  suggestion?: Suggestion;
}

/**
 * Proposals and their four-eyes workflow: proposed (by a person, or by the AI and accepted by a
 * person) → approved or rejected by someone else with the approve permission → executed once →
 * succeeded or failed. State changes are compare-and-set inside IMMEDIATE transactions, so two
 * approvals racing (two approvers, a double click) give one execution. Every step is audited.
 */
export class ProposalBook {
  constructor(
    private readonly db: ConsoleDb,
    private readonly queue: IncidentQueue,
    private readonly ttlMs: number,
  ) {}

  /** Proposes a remediation for an incident's open occurrences; refuses a second live one for the same action. */
  propose(input: ProposeInput, actor: string): Proposal {
    const params = ProposalParams.parse(input.params ?? {});
    return this.db.transaction(() => {
      const incident = this.queue.get(input.incidentId);
      if (!incident) throw new RemediationError(404, `no incident ${input.incidentId}`);
      const live = this.db.prepare("SELECT id FROM proposals WHERE incident_id = ? AND action = ? AND status IN ('proposed', 'executing')").get(input.incidentId, input.action) as { id: string } | undefined;
      if (live) throw new RemediationError(409, `a ${input.action} proposal for this incident is already waiting (${live.id})`);
      const targets = this.targetsFor(input, params);
      const now = Date.now();
      const id = randomUUID();
      this.db
        .prepare(
          `INSERT INTO proposals (id, incident_id, action, params, targets, origin, suggestion, proposed_by, participants, status, created_at, expires_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'proposed', ?, ?)`,
        )
        .run(id, input.incidentId, input.action, JSON.stringify(params), JSON.stringify(targets), input.suggestion ? 'ai' : 'user',
          input.suggestion ? JSON.stringify(input.suggestion) : null, actor, JSON.stringify([actor]), now, now + this.ttlMs);
      const proposal = this.get(id)!;
      appendAudit(this.db, {
        actor,
        action: 'proposal.created',
        subject: `proposal:${id}`,
        detail: { incident: input.incidentId, after: summary(proposal), suggestion: input.suggestion ?? null },
      });
      return proposal;
    }).immediate();
  }

  /** Changes what a waiting proposal will do; the editor then counts as a proposer (four eyes). */
  edit(id: string, params: ProposalParams, actor: string): Proposal {
    const next = ProposalParams.parse(params);
    this.expireDue();
    return this.db.transaction(() => {
      const before = this.waiting(id);
      if (before.action === 'reroute' && !next.warehouseId) throw new RemediationError(422, 'a reroute needs warehouseId');
      const participants = [...new Set([...before.participants, actor])];
      this.db.prepare('UPDATE proposals SET params = ?, participants = ? WHERE id = ?').run(JSON.stringify(next), JSON.stringify(participants), id);
      appendAudit(this.db, { actor, action: 'proposal.edited', subject: `proposal:${id}`, detail: { before: before.params, after: next } });
      return this.get(id)!;
    }).immediate();
  }

  /**
   * Approves a waiting proposal. Returns it with status `executing` (the caller runs it) or
   * `approved` (a recommendation: nothing to run). Exactly one of racing approvals wins.
   */
  approve(id: string, actor: string, note?: string): Proposal {
    this.expireDue();
    return this.db.transaction(() => {
      const proposal = this.waiting(id);
      if (proposal.participants.includes(actor))
        throw new RemediationError(403, `four eyes: ${actor} proposed or edited this proposal, so someone else must approve it`);
      const status: ProposalStatus = proposal.executable ? 'executing' : 'approved';
      this.db.prepare("UPDATE proposals SET status = ?, decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ? AND status = 'proposed'").run(status, actor, Date.now(), note?.slice(0, 2_000) ?? null, id);
      appendAudit(this.db, { actor, action: 'proposal.approved', subject: `proposal:${id}`, detail: { before: { status: 'proposed' }, after: { status }, note: note ?? null, suggestion: proposal.suggestion } });
      return this.get(id)!;
    }).immediate();
  }

  reject(id: string, actor: string, note: string): Proposal {
    if (!note.trim()) throw new RemediationError(422, 'a rejection needs a note saying why');
    this.expireDue();
    return this.db.transaction(() => {
      const proposal = this.waiting(id);
      if (proposal.participants.includes(actor)) throw new RemediationError(403, `four eyes: ${actor} proposed or edited this proposal, so someone else must decide it`);
      this.db.prepare("UPDATE proposals SET status = 'rejected', decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ?").run(actor, Date.now(), note.slice(0, 2_000), id);
      appendAudit(this.db, { actor, action: 'proposal.rejected', subject: `proposal:${id}`, detail: { before: { status: 'proposed' }, after: { status: 'rejected' }, note } });
      return this.get(id)!;
    }).immediate();
  }

  /** Audits the start of an execution: what is about to be called, under which idempotency keys. */
  executing(id: string, actor: string, calls: { target: Target; idempotencyKey: string }[]): void {
    appendAudit(this.db, { actor, action: 'proposal.executed', subject: `proposal:${id}`, detail: { via: 'runtime admin API', calls } });
  }

  /** Records the outcome of an execution, audited with the transactions it touched. */
  finish(id: string, outcome: TargetOutcome[], actor: string): Proposal {
    const failed = outcome.some((o) => o.result === 'failed');
    const status: ProposalStatus = failed ? 'failed' : 'succeeded';
    return this.db.transaction(() => {
      this.db.prepare("UPDATE proposals SET status = ?, outcome = ?, finished_at = ? WHERE id = ? AND status = 'executing'").run(status, JSON.stringify(outcome), Date.now(), id);
      appendAudit(this.db, {
        actor,
        action: failed ? 'proposal.failed' : 'proposal.succeeded',
        subject: `proposal:${id}`,
        detail: { after: { status }, correlationIds: [...new Set(outcome.map((o) => o.target.correlationId).filter(Boolean))].sort(), outcome },
      });
      return this.get(id)!;
    }).immediate();
  }

  get(id: string): Proposal | undefined {
    const row = this.db.prepare('SELECT * FROM proposals WHERE id = ?').get(id) as Row | undefined;
    return row && toProposal(row);
  }

  list(filter: { status?: ProposalStatus; incidentId?: number; limit?: number } = {}): Proposal[] {
    this.expireDue();
    const where = new SqlConditions();
    if (filter.status) where.add('status = ?', filter.status);
    if (filter.incidentId !== undefined) where.add('incident_id = ?', filter.incidentId);
    const rows = this.db.prepare(`SELECT * FROM proposals ${where.clause} ORDER BY created_at DESC LIMIT ?`).all(...where.params, filter.limit ?? 100) as Row[];
    return rows.map(toProposal);
  }

  /** Proposals that act on or concern one transaction, newest first. */
  forCorrelation(correlationId: string, limit = 50): Proposal[] {
    this.expireDue();
    const targets =
      this.db.dialect === 'postgres'
        ? `SELECT 1 FROM jsonb_array_elements(p.targets::jsonb) t WHERE t->>'correlationId' = ?`
        : `SELECT 1 FROM json_each(p.targets) t WHERE json_extract(t.value, '$.correlationId') = ?`;
    const rows = this.db.prepare(`SELECT p.* FROM proposals p WHERE EXISTS (${targets}) ORDER BY p.created_at DESC LIMIT ?`).all(correlationId, limit) as Row[];
    return rows.map(toProposal);
  }

  /** Proposals past their time are expired (audited), so nobody approves a stale picture. */
  expireDue(now = Date.now()): number {
    return this.db.transaction(() => {
      const due = this.db.prepare("SELECT id FROM proposals WHERE status = 'proposed' AND expires_at <= ?").all(now) as { id: string }[];
      for (const { id } of due) {
        this.db.prepare("UPDATE proposals SET status = 'expired' WHERE id = ?").run(id);
        appendAudit(this.db, { actor: 'system', action: 'proposal.expired', subject: `proposal:${id}`, detail: { before: { status: 'proposed' }, after: { status: 'expired' } } });
      }
      return due.length;
    }).immediate();
  }

  /** A proposal still waiting for a decision, or the reason it is not (expiry is applied before, in its own transaction). */
  private waiting(id: string): Proposal {
    const proposal = this.get(id);
    if (!proposal) throw new RemediationError(404, `no proposal ${id}`);
    if (proposal.status !== 'proposed') throw new RemediationError(409, `proposal ${id} is already ${proposal.status}`);
    return proposal;
  }

  private targetsFor(input: ProposeInput, params: ProposalParams): Target[] {
    const members = this.queue.members(input.incidentId, { openOnly: true, limit: 10_000 }).filter((m) => !input.correlationId || m.correlationId === input.correlationId);
    switch (input.action) {
      case 'replay':
      case 'discard_duplicate': {
        if (input.action === 'discard_duplicate' && !params.reason) throw new RemediationError(422, 'a discard needs a reason');
        const letters = members.filter((m) => m.deadLetterId);
        if (letters.length === 0) throw new RemediationError(422, `nothing to ${input.action === 'replay' ? 'replay' : 'discard'}: the incident has no open dead letters`);
        return letters.map((m) => ({ kind: 'dead_letter', deadLetterId: m.deadLetterId!, correlationId: m.correlationId }));
      }
      case 'reroute': {
        if (!params.warehouseId) throw new RemediationError(422, 'a reroute needs warehouseId');
        if (!params.reason) throw new RemediationError(422, 'a reroute needs a reason');
        const orders = [...new Set(members.filter((m) => m.correlationId && (m.process ?? 'order_fulfillment') === 'order_fulfillment').map((m) => m.correlationId!))];
        if (orders.length === 0) throw new RemediationError(422, 'nothing to reroute: the incident has no open orders');
        return orders.map((correlationId) => ({ kind: 'order', correlationId }));
      }
      default:
        return [...new Set(members.map((m) => m.correlationId).filter((c): c is string => Boolean(c)))].map((correlationId) => ({ kind: 'order', correlationId }));
    }
  }
}

const summary = (p: Proposal) => ({ action: p.action, params: p.params, targets: p.targets.length, origin: p.origin, expiresAt: p.expiresAt });
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toProposal(row: Row): Proposal {
  return {
    id: row.id,
    incidentId: row.incident_id,
    action: row.action as RemediationAction,
    executable: EXECUTABLE.has(row.action as RemediationAction),
    params: JSON.parse(row.params) as ProposalParams,
    targets: JSON.parse(row.targets) as Target[],
    origin: row.origin as 'ai' | 'user',
    suggestion: row.suggestion ? (JSON.parse(row.suggestion) as Suggestion) : null,
    proposedBy: row.proposed_by,
    participants: JSON.parse(row.participants) as string[],
    status: row.status as ProposalStatus,
    decidedBy: row.decided_by,
    decidedAt: iso(row.decided_at),
    decisionNote: row.decision_note,
    outcome: row.outcome ? (JSON.parse(row.outcome) as TargetOutcome[]) : null,
    finishedAt: iso(row.finished_at),
    createdAt: iso(row.created_at)!,
    expiresAt: iso(row.expires_at)!,
  };
}
