import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ConsoleDb } from '../server/console-db';
import { escapeLike, SqlConditions } from '../server/sql-conditions';

/**
 * The audit log: every sign-in, role change, token, triage step, proposal, approval, execution
 * and outcome, appended and never changed. Each entry's hash covers its content and the previous
 * entry's hash, so editing, deleting or reordering any entry breaks the chain from there on
 * (`crossdock audit verify`). Triggers refuse UPDATE and DELETE; the chain catches what bypasses them.
 */

/** What happened, as `<subject kind>.<verb>`. */
export const AuditAction = z.enum([
  'session.signed_in',
  'session.sign_in_refused',
  'session.signed_out',
  'user.added',
  'user.role_changed',
  'user.email_changed',
  'token.created',
  'token.revoked',
  'incident.assigned',
  'incident.acknowledged',
  'incident.resolved',
  'incident.reopened',
  'classification.corrected',
  'proposal.created',
  'proposal.edited',
  'proposal.approved',
  'proposal.rejected',
  'proposal.expired',
  'proposal.executed',
  'proposal.succeeded',
  'proposal.failed',
  'alert_rule.changed',
  'alert.acknowledged',
  'silence.created',
  'silence.expired',
  'oncall_schedule.changed',
  'mail_template.changed',
]);
export type AuditAction = z.infer<typeof AuditAction>;

/** Free-form but conventional: `before`/`after` for changes, `note`, `suggestion` for the AI's part. */
export type AuditDetail = Record<string, unknown>;

export interface AuditEntry {
  seq: number;
  at: number;
  actor: string;
  action: AuditAction;
  /** What it concerns: `proposal:<id>`, `incident:<id>`, `user:<login>`, `token:<name>`. */
  subject: string;
  detail: AuditDetail;
  prevHash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);

interface Row {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

// The hashed text is the stored columns in a fixed order: what is on disk is what is checked.
const hashOf = (row: Omit<Row, 'hash'>) =>
  createHash('sha256').update(JSON.stringify([row.seq, row.at, row.actor, row.action, row.subject, row.detail, row.prev_hash])).digest('hex');

/**
 * Appends one entry. The read of the last hash and the insert run in one IMMEDIATE transaction,
 * so the console and a CLI writing at the same time still form one chain.
 */
export function appendAudit(db: ConsoleDb, input: { actor: string; action: AuditAction; subject: string; detail?: AuditDetail; at?: number }): AuditEntry {
  const append = db.transaction(() => {
    const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    const row = {
      seq: (last?.seq ?? 0) + 1,
      at: input.at ?? Date.now(),
      actor: input.actor,
      action: AuditAction.parse(input.action),
      subject: input.subject,
      detail: JSON.stringify(input.detail ?? {}),
      prev_hash: last?.hash ?? GENESIS,
    };
    const hash = hashOf(row);
    db.prepare('INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      row.seq, row.at, row.actor, row.action, row.subject, row.detail, row.prev_hash, hash,
    );
    return toEntry({ ...row, hash });
  });
  return append.immediate();
}

export type AuditVerdict = { ok: true; entries: number } | { ok: false; entries: number; seq: number; reason: string };

/** Walks the whole chain in order and reports the first entry that does not hold. */
export function verifyAudit(db: ConsoleDb): AuditVerdict {
  let expectedPrev = GENESIS;
  let expectedSeq = 1;
  let entries = 0;
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as Iterable<Row>) {
    entries++;
    if (row.seq !== expectedSeq) return { ok: false, entries, seq: row.seq, reason: `entry ${expectedSeq} is missing (the next is ${row.seq})` };
    if (row.prev_hash !== expectedPrev) return { ok: false, entries, seq: row.seq, reason: `entry ${row.seq} does not follow entry ${row.seq - 1} (previous hash differs)` };
    if (hashOf(row) !== row.hash) return { ok: false, entries, seq: row.seq, reason: `entry ${row.seq} was changed after it was written (its hash does not match its content)` };
    expectedPrev = row.hash;
    expectedSeq++;
  }
  return { ok: true, entries };
}

export const AuditFilter = z
  .object({
    actor: z.string().max(200).optional(),
    action: z.string().max(64).optional(),
    subject: z.string().max(200).optional(),
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export type AuditFilter = z.input<typeof AuditFilter>;

/** Entries newest first; `action` matches a prefix (`proposal` finds every proposal step). */
export function listAudit(db: ConsoleDb, input: AuditFilter = {}): { total: number; items: AuditEntry[] } {
  const filter = AuditFilter.parse(input);
  const where = new SqlConditions();
  if (filter.actor) where.add('actor = ?', filter.actor);
  if (filter.action) where.add("(action = ? OR action LIKE ? ESCAPE '\\')", filter.action, `${escapeLike(filter.action)}.%`);
  if (filter.subject) where.add('subject = ?', filter.subject);
  if (filter.from) where.add('at >= ?', filter.from.getTime());
  if (filter.to) where.add('at < ?', filter.to.getTime());
  const { clause, params } = where;
  const total = (db.prepare(`SELECT count(*) AS n FROM audit_log ${clause}`).get(...params) as { n: number }).n;
  const rows = db.prepare(`SELECT * FROM audit_log ${clause} ORDER BY seq DESC LIMIT ? OFFSET ?`).all(...params, filter.limit, filter.offset) as Row[];
  return { total, items: rows.map(toEntry) };
}

function toEntry(row: Row): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action as AuditAction,
    subject: row.subject,
    detail: JSON.parse(row.detail) as AuditDetail,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
