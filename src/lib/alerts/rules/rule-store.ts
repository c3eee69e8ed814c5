import { appendAudit } from '../../audit';
import type { ConsoleDb } from '../../server/console-db';
import { AlertingError } from '../errors';
import { defaultRules } from './default-rules';
import { AlertRule, type AlertRuleInput } from './rule';

export interface StoredRule extends AlertRule {
  updatedBy: string;
  updatedAt: number;
  /** Whether a shipped rule still has its shipped definition. */
  isDefault: boolean;
}

interface Row {
  id: string;
  definition: string;
  updated_by: string;
  updated_at: number;
}

const shipped = new Map(defaultRules.map((rule) => [rule.id, rule]));
const same = (a: AlertRule, b: AlertRule | undefined) => b !== undefined && JSON.stringify(a) === JSON.stringify(b);

/** Precise messages for a rule that does not validate: `condition.windowMinutes: must be ...`. */
export function parseRule(input: unknown): AlertRule {
  const parsed = AlertRule.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new AlertingError(422, parsed.error.issues.map((i) => `${i.path.join('.') || 'rule'}: ${i.message}`).join('; '));
}

/**
 * Alert rules, stored in the console database so admins edit them in the console. The shipped
 * defaults are written at first start (`seedDefaults`) and can be put back (`reset`). Every change
 * is audited with the definition before and after.
 */
export class RuleStore {
  constructor(private readonly db: ConsoleDb) {}

  /** Writes the shipped rules that were never stored (a new console, or a rule added in a release). */
  seedDefaults(): number {
    const insert = this.db.prepare('INSERT INTO alert_rules (id, definition, updated_by, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING');
    let added = 0;
    this.db.transaction(() => {
      for (const rule of defaultRules) added += insert.run(rule.id, JSON.stringify(rule), 'crossdock', Date.now()).changes;
    })();
    return added;
  }

  list(): StoredRule[] {
    const rows = this.db.prepare('SELECT * FROM alert_rules ORDER BY id').all() as Row[];
    return rows.map(toRule);
  }

  get(id: string): StoredRule | undefined {
    const row = this.db.prepare('SELECT * FROM alert_rules WHERE id = ?').get(id) as Row | undefined;
    return row && toRule(row);
  }

  /** Creates or replaces a rule (validated). */
  save(input: AlertRuleInput | unknown, actor: string): StoredRule {
    const rule = parseRule(input);
    return this.db.transaction(() => {
      const before = this.get(rule.id);
      if (rule.schedule !== before?.schedule && !this.db.prepare('SELECT 1 FROM oncall_schedules WHERE id = ?').get(rule.schedule))
        throw new AlertingError(422, `schedule: there is no on-call schedule ${rule.schedule}`);
      this.db
        .prepare('INSERT INTO alert_rules (id, definition, updated_by, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET definition = excluded.definition, updated_by = excluded.updated_by, updated_at = excluded.updated_at')
        .run(rule.id, JSON.stringify(rule), actor, Date.now());
      appendAudit(this.db, { actor, action: 'alert_rule.changed', subject: `alert_rule:${rule.id}`, detail: { before: before ? definitionOf(before) : null, after: rule } });
      return this.get(rule.id)!;
    }).immediate();
  }

  /** Puts a shipped rule back to its shipped definition. */
  reset(id: string, actor: string): StoredRule {
    const rule = shipped.get(id);
    if (!rule) throw new AlertingError(404, `alert rule ${id} is not a shipped rule`);
    return this.save(rule, actor);
  }

  /** Deletes a rule of one's own; its alerts resolve at the next evaluation. Shipped rules are disabled instead. */
  remove(id: string, actor: string): void {
    this.db.transaction(() => {
      const before = this.get(id);
      if (!before) throw new AlertingError(404, `no alert rule ${id}`);
      // A deleted shipped rule would come back with the next start's seeding: it is switched off instead.
      if (shipped.has(id)) throw new AlertingError(409, `${id} is a shipped rule: disable it instead of deleting it`);
      this.db.prepare('DELETE FROM alert_rules WHERE id = ?').run(id);
      appendAudit(this.db, { actor, action: 'alert_rule.changed', subject: `alert_rule:${id}`, detail: { before: definitionOf(before), after: null } });
    }).immediate();
  }
}

function toRule(row: Row): StoredRule {
  // A stored definition is what `save` validated; parse again so an older shape gets today's defaults.
  const rule = AlertRule.parse(JSON.parse(row.definition));
  return { ...rule, updatedBy: row.updated_by, updatedAt: row.updated_at, isDefault: same(rule, shipped.get(rule.id)) };
}

function definitionOf(stored: StoredRule): AlertRule {
  const { updatedBy: _by, updatedAt: _at, isDefault: _default, ...rule } = stored;
  return rule;
}
