import { createHash } from 'node:crypto';
import type { AlertLabels, AlertState } from '../alert';
import type { AlertRule, GroupLabel } from '../rules/rule';

/** What one evaluation does to one alert. */
export type Transition =
  /** Nothing tracked and nothing holds. */
  | 'none'
  /** The condition started to hold; it fires after the rule's `forMinutes`. */
  | 'pending'
  | 'fired'
  /** Still pending or firing (a firing alert stays so for `keepFiringMinutes` after it clears). */
  | 'held'
  /** A pending alert whose condition went away before it fired: nobody is told. */
  | 'cleared'
  | 'resolved';

const MINUTE = 60_000;

/**
 * The alert state machine, pending → firing → resolved: `current` is the alert as tracked (none
 * yet: undefined), `holds` whether its condition holds at `now`.
 */
export function transition(
  current: { state: Exclude<AlertState, 'resolved'>; pendingSince: number; lastTrueAt: number } | undefined,
  holds: boolean,
  rule: Pick<AlertRule, 'forMinutes' | 'keepFiringMinutes'>,
  now: number,
): Transition {
  if (!current) return holds ? (rule.forMinutes === 0 ? 'fired' : 'pending') : 'none';
  if (current.state === 'pending') {
    if (!holds) return 'cleared';
    return now - current.pendingSince >= rule.forMinutes * MINUTE ? 'fired' : 'held';
  }
  if (holds) return 'held';
  return now - current.lastTrueAt >= rule.keepFiringMinutes * MINUTE ? 'resolved' : 'held';
}

/** An alert's identity: its rule and the labels of the place it is about. */
export function fingerprintOf(labels: AlertLabels): string {
  const pairs = Object.entries(labels)
    .filter(([, value]) => value !== undefined && value !== '')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`);
  return createHash('sha256').update(pairs.join('\n')).digest('hex').slice(0, 32);
}

/**
 * The notification group of an alert: the values of its rule's `groupBy` labels, e.g.
 * `warehouse=wms-rest`, so every warehouse-level rule firing for one outage shares one email. An
 * alert with none of those labels (a global rule) is grouped by its rule.
 */
export function groupKeyOf(labels: AlertLabels, groupBy: readonly GroupLabel[]): string {
  const parts = groupBy
    .map((label) => (label === 'rule' ? `rule=${labels.rule}` : labels[label] ? `${label}=${labels[label]}` : undefined))
    .filter((part): part is string => part !== undefined);
  return parts.length > 0 ? parts.join(',') : `rule=${labels.rule}`;
}
