import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openConsoleDb, type ConsoleDb } from '../server/console-db';
import { appendAudit, auditCsv, listAudit, verifyAudit } from './index';

// Someone with direct database access removes a guard (the suite also runs on PostgreSQL).
const dropTrigger = (db: ConsoleDb, name: string) => (db.dialect === 'postgres' ? `DROP TRIGGER ${name} ON audit_log` : `DROP TRIGGER ${name}`);
const freshDb = () => openConsoleDb(join(mkdtempSync(join(tmpdir(), 'audit-')), 'console.db'));

describe('audit log', () => {
  it('chains entries and verifies an untouched log', () => {
    const db = freshDb();
    const first = appendAudit(db, { actor: 'support', action: 'proposal.created', subject: 'proposal:p1', detail: { after: { action: 'replay' } } });
    const second = appendAudit(db, { actor: 'approver', action: 'proposal.approved', subject: 'proposal:p1' });
    expect(second.prevHash).toBe(first.hash);
    expect(verifyAudit(db)).toEqual({ ok: true, entries: 2 });
  });

  it('refuses updates and deletes, and detects an entry changed behind the triggers', () => {
    const db = freshDb();
    appendAudit(db, { actor: 'support', action: 'proposal.created', subject: 'proposal:p1', detail: { note: 'replay S00042' } });
    appendAudit(db, { actor: 'approver', action: 'proposal.approved', subject: 'proposal:p1' });
    appendAudit(db, { actor: 'approver', action: 'proposal.succeeded', subject: 'proposal:p1' });
    expect(() => db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 3').run()).toThrow(/append-only/);

    db.exec(dropTrigger(db, 'audit_log_no_update'));
    db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2").run();
    expect(verifyAudit(db)).toMatchObject({ ok: false, seq: 2, reason: expect.stringContaining('changed after it was written') });
  });

  it('detects a deleted entry even when the rest is rehashed consistently from it on', () => {
    const db = freshDb();
    for (let i = 0; i < 3; i++) appendAudit(db, { actor: 'a', action: 'incident.acknowledged', subject: `incident:${i}` });
    db.exec(dropTrigger(db, 'audit_log_no_delete'));
    db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    expect(verifyAudit(db)).toMatchObject({ ok: false, seq: 3, reason: expect.stringContaining('entry 2 is missing') });
  });

  it('filters by actor and action prefix, and exports CSV with formulas neutralised', () => {
    const db = freshDb();
    appendAudit(db, { actor: 'support', action: 'proposal.created', subject: 'proposal:p1' });
    appendAudit(db, { actor: 'support', action: 'incident.resolved', subject: '=HYPERLINK("http://evil")' });
    appendAudit(db, { actor: 'approver', action: 'proposal.approved', subject: 'proposal:p1' });
    appendAudit(db, { actor: 'approver', action: 'session.signed_in', subject: 'user:approver' });
    expect(listAudit(db, { action: 'proposal' }).items.map((e) => e.action)).toEqual(['proposal.approved', 'proposal.created']);
    expect(listAudit(db, { actor: 'approver' }).total).toBe(2);
    const csv = auditCsv(listAudit(db, { actor: 'support' }).items);
    expect(csv.split('\r\n')[0]).toBe('seq,at,actor,action,subject,detail,prev_hash,hash');
    expect(csv).toContain('proposal:p1');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });
});
