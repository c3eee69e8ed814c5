import { z } from 'zod';
import type { ConsoleDb } from '../server/console-db';
import { SqlConditions } from '../server/sql-conditions';
import type { AffectedTransaction, Alert, AlertLabels, AlertState, Severity } from './alert';

interface AlertRow {
  id: number;
  fingerprint: string;
  rule_id: string;
  group_key: string;
  labels: string;
  severity: string;
  state: string;
  value: number;
  summary: string;
  affected: string;
  pending_since: number;
  firing_since: number | null;
  last_true_at: number;
  resolved_at: number | null;
  evaluated_at: number;
}

const toAlert = (row: AlertRow): Alert => ({
  id: row.id,
  fingerprint: row.fingerprint,
  ruleId: row.rule_id,
  groupKey: row.group_key,
  labels: JSON.parse(row.labels) as AlertLabels,
  severity: row.severity as Severity,
  state: row.state as AlertState,
  value: row.value,
  summary: row.summary,
  affected: JSON.parse(row.affected) as AffectedTransaction[],
  pendingSince: row.pending_since,
  firingSince: row.firing_since,
  lastTrueAt: row.last_true_at,
  resolvedAt: row.resolved_at,
  evaluatedAt: row.evaluated_at,
});

/** Everything that happens to alerts, for the history page. */
export const AlertEventKind = z.enum([
  'pending', 'firing', 'cleared', 'resolved',
  'notified', 'repeated', 'escalated', 'resolved_notified', 'suppressed', 'undeliverable',
  'sent', 'send_failed', 'acknowledged', 'silence_created', 'silence_expired',
]);
export type AlertEventKind = z.infer<typeof AlertEventKind>;

export interface AlertEvent {
  id: number;
  at: number;
  kind: AlertEventKind;
  groupId: number | null;
  alertId: number | null;
  actor: string;
  detail: Record<string, unknown>;
}

export const HistoryFilter = z.object({
  kind: z.array(AlertEventKind).optional(),
  groupId: z.coerce.number().int().positive().optional(),
  alertId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type HistoryFilter = z.input<typeof HistoryFilter>;

export const AlertFilter = z.object({
  state: z.array(z.enum(['pending', 'firing', 'resolved'])).optional(),
  ruleId: z.string().max(64).optional(),
  groupKey: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type AlertFilter = z.input<typeof AlertFilter>;

/** Appends one alert event (the history page's rows); also used where acknowledgements and silences are written. */
export function recordEvent(db: ConsoleDb, kind: AlertEventKind, input: { groupId?: number | null; alertId?: number | null; actor?: string; detail?: Record<string, unknown>; at?: number }): void {
  db.prepare('INSERT INTO alert_events (at, kind, group_id, alert_id, actor, detail) VALUES (?, ?, ?, ?, ?, ?)').run(
    input.at ?? Date.now(), kind, input.groupId ?? null, input.alertId ?? null, input.actor ?? 'crossdock', JSON.stringify(input.detail ?? {}),
  );
}

/** What an evaluation found for one alert. */
export interface Finding {
  fingerprint: string;
  ruleId: string;
  groupKey: string;
  labels: AlertLabels;
  severity: Severity;
  value: number;
  summary: string;
  affected: AffectedTransaction[];
}

/**
 * The alerts and their history. An alert is one rule in one place from its first pending
 * evaluation to its resolution; firing again later is a new alert with the same fingerprint.
 * A pending alert that clears before firing is kept as resolved without `firingSince`.
 */
export class AlertBook {
  constructor(private readonly db: ConsoleDb) {}

  /** Pending and firing alerts, oldest first. */
  active(): Alert[] {
    return (this.db.prepare("SELECT * FROM alerts WHERE state != 'resolved' ORDER BY pending_since, id").all() as AlertRow[]).map(toAlert);
  }

  get(id: number): Alert | undefined {
    const row = this.db.prepare('SELECT * FROM alerts WHERE id = ?').get(id) as AlertRow | undefined;
    return row && toAlert(row);
  }

  list(input: AlertFilter = {}): { total: number; items: Alert[] } {
    const filter = AlertFilter.parse(input);
    const where = new SqlConditions();
    // Pending alerts that cleared never fired: they are not part of any list.
    where.add("NOT (state = 'resolved' AND firing_since IS NULL)");
    if (filter.state?.length) where.add(`state IN (${filter.state.map(() => '?').join(', ')})`, ...filter.state);
    if (filter.ruleId) where.add('rule_id = ?', filter.ruleId);
    if (filter.groupKey) where.add('group_key = ?', filter.groupKey);
    const total = (this.db.prepare(`SELECT count(*) AS n FROM alerts ${where.clause}`).get(...where.params) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT * FROM alerts ${where.clause} ORDER BY CASE state WHEN 'firing' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, coalesce(firing_since, pending_since) DESC, id DESC LIMIT ? OFFSET ?`)
      .all(...where.params, filter.limit, filter.offset) as AlertRow[];
    return { total, items: rows.map(toAlert) };
  }

  /** The alerts of a notification group that fired while it was open (since `since`). */
  firedInGroup(groupKey: string, since: number): Alert[] {
    const rows = this.db
      .prepare("SELECT * FROM alerts WHERE group_key = ? AND firing_since IS NOT NULL AND (resolved_at IS NULL OR resolved_at >= ?) ORDER BY firing_since, id")
      .all(groupKey, since) as AlertRow[];
    return rows.map(toAlert);
  }

  /** Pending and firing alerts of a group. */
  activeInGroup(groupKey: string): Alert[] {
    return (this.db.prepare("SELECT * FROM alerts WHERE group_key = ? AND state != 'resolved' ORDER BY pending_since, id").all(groupKey) as AlertRow[]).map(toAlert);
  }

  /** Starts tracking an alert: pending, or firing at once for rules without a pending time. */
  open(finding: Finding, state: 'pending' | 'firing', now: number): Alert {
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO alerts (fingerprint, rule_id, group_key, labels, severity, state, value, summary, affected, pending_since, firing_since, last_true_at, evaluated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(finding.fingerprint, finding.ruleId, finding.groupKey, JSON.stringify(finding.labels), finding.severity, state, finding.value, finding.summary, JSON.stringify(finding.affected), now, state === 'firing' ? now : null, now, now).lastInsertRowid,
    );
    return this.get(id)!;
  }

  /** The condition still holds: new numbers, and firing when its time has come. */
  refresh(id: number, finding: Finding, now: number, fire: boolean): void {
    this.db
      .prepare(
        `UPDATE alerts SET value = ?, summary = ?, affected = ?, severity = ?, group_key = ?, last_true_at = ?, evaluated_at = ?,
           state = CASE WHEN ? THEN 'firing' ELSE state END, firing_since = CASE WHEN ? AND firing_since IS NULL THEN ? ELSE firing_since END
         WHERE id = ?`,
      )
      .run(finding.value, finding.summary, JSON.stringify(finding.affected), finding.severity, finding.groupKey, now, now, fire ? 1 : 0, fire ? 1 : 0, now, id);
  }

  /** Evaluated without the condition holding (a firing alert within its keep-firing time). */
  touch(id: number, now: number): void {
    this.db.prepare('UPDATE alerts SET evaluated_at = ? WHERE id = ?').run(now, id);
  }

  /** Resolved (or, when it never fired, cleared). */
  resolve(id: number, now: number): void {
    this.db.prepare("UPDATE alerts SET state = 'resolved', resolved_at = ?, evaluated_at = ? WHERE id = ?").run(now, now, id);
  }

  record(kind: AlertEventKind, input: Parameters<typeof recordEvent>[2]): void {
    recordEvent(this.db, kind, input);
  }

  history(input: HistoryFilter = {}): { total: number; items: AlertEvent[] } {
    const filter = HistoryFilter.parse(input);
    const where = new SqlConditions();
    if (filter.kind?.length) where.add(`kind IN (${filter.kind.map(() => '?').join(', ')})`, ...filter.kind);
    if (filter.groupId) where.add('group_id = ?', filter.groupId);
    if (filter.alertId) where.add('alert_id = ?', filter.alertId);
    const total = (this.db.prepare(`SELECT count(*) AS n FROM alert_events ${where.clause}`).get(...where.params) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT * FROM alert_events ${where.clause} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`)
      .all(...where.params, filter.limit, filter.offset) as { id: number; at: number; kind: string; group_id: number | null; alert_id: number | null; actor: string; detail: string }[];
    return {
      total,
      items: rows.map((r) => ({ id: r.id, at: r.at, kind: r.kind as AlertEventKind, groupId: r.group_id, alertId: r.alert_id, actor: r.actor, detail: JSON.parse(r.detail) })),
    };
  }
}
