import { z } from 'zod';
import { appendAudit } from '../audit';
import type { ConsoleDb } from '../server/console-db';
import { SqlConditions } from '../server/sql-conditions';
import { recordEvent } from './alert-book';
import { AlertingError } from './errors';

/**
 * A notification group: the alerts that share a group key (one outage at one warehouse) while
 * any of them is pending or firing. It is what people are told about, acknowledge, and what
 * escalates: one email for one incident, one acknowledgement for all its alerts.
 */
export interface AlertGroup {
  id: number;
  groupKey: string;
  scheduleId: string;
  status: 'open' | 'resolved';
  openedAt: number;
  firstNotifiedAt: number | null;
  lastNotifiedAt: number | null;
  /** Logins told about it so far (every level), who get the resolution. */
  notified: string[];
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
  /** 0: the on-call; n: the n-th step of the schedule's escalation chain. */
  escalationLevel: number;
  escalatedAt: number | null;
  resolvedAt: number | null;
}

interface Row {
  id: number;
  group_key: string;
  schedule_id: string;
  status: string;
  opened_at: number;
  first_notified_at: number | null;
  last_notified_at: number | null;
  notified: string;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
  escalation_level: number;
  escalated_at: number | null;
  resolved_at: number | null;
}

const toGroup = (row: Row): AlertGroup => ({
  id: row.id,
  groupKey: row.group_key,
  scheduleId: row.schedule_id,
  status: row.status as AlertGroup['status'],
  openedAt: row.opened_at,
  firstNotifiedAt: row.first_notified_at,
  lastNotifiedAt: row.last_notified_at,
  notified: JSON.parse(row.notified) as string[],
  acknowledgedBy: row.acknowledged_by,
  acknowledgedAt: row.acknowledged_at,
  escalationLevel: row.escalation_level,
  escalatedAt: row.escalated_at,
  resolvedAt: row.resolved_at,
});

export const GroupFilter = z.object({
  status: z.enum(['open', 'resolved']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type GroupFilter = z.input<typeof GroupFilter>;

export class AlertGroups {
  constructor(private readonly db: ConsoleDb) {}

  get(id: number): AlertGroup | undefined {
    const row = this.db.prepare('SELECT * FROM alert_groups WHERE id = ?').get(id) as Row | undefined;
    return row && toGroup(row);
  }

  open(): AlertGroup[] {
    return (this.db.prepare("SELECT * FROM alert_groups WHERE status = 'open' ORDER BY opened_at, id").all() as Row[]).map(toGroup);
  }

  list(input: GroupFilter = {}): { total: number; items: AlertGroup[] } {
    const filter = GroupFilter.parse(input);
    const where = new SqlConditions();
    if (filter.status) where.add('status = ?', filter.status);
    const total = (this.db.prepare(`SELECT count(*) AS n FROM alert_groups ${where.clause}`).get(...where.params) as { n: number }).n;
    const rows = this.db.prepare(`SELECT * FROM alert_groups ${where.clause} ORDER BY status = 'open' DESC, opened_at DESC, id DESC LIMIT ? OFFSET ?`).all(...where.params, filter.limit, filter.offset) as Row[];
    return { total, items: rows.map(toGroup) };
  }

  /** The open group for a key, if any. */
  current(groupKey: string): AlertGroup | undefined {
    const row = this.db.prepare("SELECT * FROM alert_groups WHERE group_key = ? AND status = 'open'").get(groupKey) as Row | undefined;
    return row && toGroup(row);
  }

  /** The open group for a key, opened now if there is none. */
  openFor(groupKey: string, scheduleId: string, now: number): AlertGroup {
    const existing = this.current(groupKey);
    if (existing) return existing;
    const id = Number(this.db.prepare("INSERT INTO alert_groups (group_key, schedule_id, status, opened_at) VALUES (?, ?, 'open', ?)").run(groupKey, scheduleId, now).lastInsertRowid);
    return this.get(id)!;
  }

  notified(id: number, logins: string[], now: number): void {
    const group = this.get(id)!;
    const all = [...new Set([...group.notified, ...logins])];
    this.db.prepare('UPDATE alert_groups SET notified = ?, first_notified_at = coalesce(first_notified_at, ?), last_notified_at = ? WHERE id = ?').run(JSON.stringify(all), now, now, id);
  }

  escalated(id: number, level: number, logins: string[], now: number): void {
    this.notified(id, logins, now);
    this.db.prepare('UPDATE alert_groups SET escalation_level = ?, escalated_at = ? WHERE id = ?').run(level, now, id);
  }

  resolve(id: number, now: number): void {
    this.db.prepare("UPDATE alert_groups SET status = 'resolved', resolved_at = ? WHERE id = ? AND status = 'open'").run(now, id);
  }

  /**
   * Someone takes the incident: no more repeats or escalation for it (audited). Acknowledging
   * twice is answered with who did it first; a resolved group cannot be acknowledged.
   */
  acknowledge(id: number, actor: string, via: 'console' | 'email link' | 'api', now = Date.now()): AlertGroup {
    return this.db.transaction(() => {
      const group = this.get(id);
      if (!group) throw new AlertingError(404, `no alert group ${id}`);
      if (group.acknowledgedBy) throw new AlertingError(409, `already acknowledged by ${group.acknowledgedBy}`);
      if (group.status === 'resolved') throw new AlertingError(409, 'this incident is already resolved');
      this.db.prepare('UPDATE alert_groups SET acknowledged_by = ?, acknowledged_at = ? WHERE id = ?').run(actor, now, id);
      appendAudit(this.db, { actor, action: 'alert.acknowledged', subject: `alert_group:${id}`, detail: { groupKey: group.groupKey, via } });
      recordEvent(this.db, 'acknowledged', { groupId: id, actor, at: now, detail: { via } });
      return this.get(id)!;
    }).immediate();
  }
}
