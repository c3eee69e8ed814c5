import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../audit';
import { openConsoleDb, type ConsoleDb } from '../../server/console-db';
import { defaultRules } from './default-rules';
import { RuleStore } from './rule-store';

let db: ConsoleDb;
let rules: RuleStore;
beforeEach(() => {
  db = openConsoleDb(join(mkdtempSync(join(tmpdir(), 'crossdock-rules-')), 'console.db'));
  rules = new RuleStore(db);
  db.prepare("INSERT INTO oncall_schedules (id, definition, updated_by, updated_at) VALUES ('primary', '{}', 'test', 0), ('night', '{}', 'test', 0)").run();
});

const quiet = { id: 'quiet', name: 'Quiet collector', enabled: true, severity: 'warning', condition: { kind: 'telemetry_silence', silentMinutes: 5 }, forMinutes: 0 } as const;

describe('RuleStore', () => {
  it('stores the shipped rules once and tells which are still as shipped', () => {
    expect(rules.seedDefaults()).toBe(defaultRules.length);
    expect(rules.seedDefaults()).toBe(0);
    const changed = rules.save({ ...defaultRules[0], repeatMinutes: 15 }, 'admin');
    expect(changed).toMatchObject({ repeatMinutes: 15, isDefault: false, updatedBy: 'admin' });
    expect(rules.reset(defaultRules[0].id, 'admin')).toMatchObject({ repeatMinutes: defaultRules[0].repeatMinutes, isDefault: true });
  });

  it('refuses a bad rule naming each field and the reason', () => {
    expect(() => rules.save({ ...quiet, condition: { kind: 'telemetry_silence', silentMinutes: 0 } }, 'admin')).toThrow('condition.silentMinutes: must be at least 1 minute');
    expect(() => rules.save({ ...quiet, condition: { kind: 'partner_health', circuitOpen: true, errorRatePercent: 120, windowMinutes: 5 } }, 'admin')).toThrow(/condition.errorRatePercent: must be 0 to 100/);
    expect(() => rules.save({ ...quiet, condition: { kind: 'stuck_transactions' } }, 'admin')).toThrow('condition.above: is required');
    expect(() => rules.save({ ...quiet, severity: 'loud' }, 'admin')).toThrow(/severity/);
    expect(() => rules.save({ ...quiet, runbookUrl: 'javascript:alert(1)' }, 'admin')).toThrow(/runbookUrl: must be an http\(s\) URL/);
    expect(() => rules.save({ ...quiet, extra: 1 }, 'admin')).toThrow(/extra/);
    expect(rules.list()).toEqual([]);
  });

  it('refuses a schedule that does not exist, deletes own rules and keeps shipped ones (disabled instead)', () => {
    expect(() => rules.save({ ...quiet, schedule: 'nobody' }, 'admin')).toThrow('schedule: there is no on-call schedule nobody');
    rules.save({ ...quiet, schedule: 'night' }, 'admin');
    rules.remove('quiet', 'admin');
    expect(rules.get('quiet')).toBeUndefined();
    rules.seedDefaults();
    expect(() => rules.remove('partner-down', 'admin')).toThrow(/shipped rule: disable it/);
    expect(listAudit(db, { subject: 'alert_rule:quiet' }).items.map((e) => e.detail.after === null)).toEqual([true, false]);
  });
});
