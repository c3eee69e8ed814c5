import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../audit';
import type { Role } from '../../server/auth/roles';
import { addUser } from '../../server/auth/users';
import { openConsoleDb, type ConsoleDb } from '../../server/console-db';
import { InvalidScheduleError, type OncallSchedule } from './schedule';
import { recipientsOf, ScheduleStore } from './schedule-store';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function freshDbPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-oncall-'));
  dirs.push(dir);
  return join(dir, 'console.db');
}

type Person = [login: string, role: Role, email: string | null, disabled?: 'disabled'];

async function addPeople(db: ConsoleDb, people: Person[]): Promise<ConsoleDb> {
  for (const [login, role, email, disabled] of people) {
    await addUser(db, { login, name: login.toUpperCase(), role, email, password: 'correct horse battery' });
    if (disabled) db.prepare('UPDATE users SET disabled = 1 WHERE login = ?').run(login);
  }
  return db;
}

const withPeople = (people: Person[]) => addPeople(openConsoleDb(freshDbPath()), people);

const team: Person[] = [
  ['ada', 'support', 'ada@example.com'],
  ['bob', 'approver', 'bob@example.com'],
  ['cyd', 'support', null],
  ['dan', 'support', 'dan@example.com', 'disabled'],
  ['eve', 'viewer', 'eve@example.com'],
  ['max', 'manager', null],
  ['mia', 'manager', 'mia@example.com'],
];

// Hashing seven passwords takes a second, so the team is added once and each test gets a copy.
const teamTemplate = join(mkdtempSync(join(tmpdir(), 'crossdock-oncall-team-')), 'console.db');
beforeAll(async () => (await addPeople(openConsoleDb(teamTemplate), team)).close());
afterAll(() => rmSync(dirname(teamTemplate), { recursive: true, force: true }));

function teamDb(): ConsoleDb {
  const path = freshDbPath();
  copyFileSync(teamTemplate, path);
  return openConsoleDb(path);
}

const primary = (overrides: Partial<OncallSchedule> = {}) => ({
  id: 'primary',
  name: 'Primary',
  timeZone: 'Europe/Berlin',
  handoff: '09:00',
  rotationDays: 7,
  startsOn: '2026-03-02',
  participants: ['ada', 'bob'],
  escalation: { ackMinutes: 15, chain: [{ to: 'next_in_rotation' as const }] },
  ...overrides,
});

const changes = (db: ConsoleDb) =>
  listAudit(db, { action: 'oncall_schedule.changed' })
    .items.reverse()
    .map((entry) => ({ actor: entry.actor, subject: entry.subject, detail: entry.detail }));

describe('ScheduleStore', () => {
  it('saves, reads and replaces a schedule, auditing before and after', async () => {
    const db = teamDb();
    const store = new ScheduleStore(db);
    const saved = store.save(primary({ participants: ['ADA', 'bob'] }), 'admin');
    expect(saved.participants).toEqual(['ada', 'bob']);
    expect(store.get('primary')).toEqual(saved);
    const replaced = store.save(primary({ participants: ['bob', 'ada'], handoff: '08:00' }), 'mia');
    expect(store.list()).toEqual([replaced]);
    expect(changes(db)).toEqual([
      { actor: 'admin', subject: 'oncall_schedule:primary', detail: { before: null, after: saved } },
      { actor: 'mia', subject: 'oncall_schedule:primary', detail: { before: saved, after: replaced } },
    ]);
    expect(store.get('nights')).toBeUndefined();
  });

  it('refuses people who are not enabled console users, naming each and whether they have an address', async () => {
    const db = teamDb();
    const store = new ScheduleStore(db);
    const attempt = () =>
      store.save(primary({ participants: ['ada', 'dan', 'zed'], escalation: { ackMinutes: 15, chain: [{ to: 'user', login: 'ghost' }] } }), 'admin');
    expect(attempt).toThrow(InvalidScheduleError);
    expect(attempt).toThrow(
      'invalid on-call schedule: participants.1 participant dan is disabled; participants.2 participant zed is not a console user; escalation.chain.0.login escalation user ghost is not a console user',
    );
    db.prepare("UPDATE users SET disabled = 1 WHERE login = 'cyd'").run();
    expect(() => store.save(primary({ participants: ['cyd'] }), 'admin')).toThrow('participant cyd is disabled and has no email address');
    expect(store.list()).toEqual([]);
    expect(changes(db)).toEqual([]);
  });

  it('refuses an invalid schedule before looking at people', async () => {
    const store = new ScheduleStore(teamDb());
    expect(() => store.save(primary({ timeZone: 'Europe/Berln' }), 'admin')).toThrow('timeZone unknown time zone "Europe/Berln"');
  });

  it('accepts someone without an address but reports them, and whoever became unreachable since', async () => {
    const db = teamDb();
    const store = new ScheduleStore(db);
    const saved = store.save(primary({ participants: ['ada', 'cyd'], escalation: { ackMinutes: 15, chain: [{ to: 'user', login: 'max' }] } }), 'admin');
    expect(store.problems(saved)).toEqual([
      { login: 'cyd', reason: 'no email' },
      { login: 'max', reason: 'no email' },
    ]);
    db.prepare("UPDATE users SET disabled = 1 WHERE login = 'ada'").run();
    expect(store.problems(saved)[0]).toEqual({ login: 'ada', reason: 'disabled' });
  });

  it('removes a schedule once, audited', async () => {
    const db = teamDb();
    const store = new ScheduleStore(db);
    const saved = store.save(primary(), 'admin');
    expect(store.remove('primary', 'mia')).toBe(true);
    expect(store.remove('primary', 'mia')).toBe(false);
    expect(store.get('primary')).toBeUndefined();
    expect(changes(db).at(-1)).toEqual({ actor: 'mia', subject: 'oncall_schedule:primary', detail: { before: saved, after: null } });
  });

  it('names a schedule whose stored definition was edited into something invalid, and lets it be replaced', async () => {
    const db = teamDb();
    const store = new ScheduleStore(db);
    store.save(primary(), 'admin');
    db.prepare(`UPDATE oncall_schedules SET definition = json_set(definition, '$.rotationDays', 0)`).run();
    expect(() => store.list()).toThrow('on-call schedule primary in the console database is invalid: invalid on-call schedule: rotationDays must be between 1 and 28 days');
    expect(store.save(primary(), 'admin').rotationDays).toBe(7);
    expect(changes(db).at(-1)?.detail.before).toMatchObject({ id: 'primary', rotationDays: 0 });
  });
});

describe('the default schedule', () => {
  it('rotates weekly from this Monday through support and approver people with an address, escalating to the next and a manager', async () => {
    const store = new ScheduleStore(teamDb());
    const created = store.ensureDefault('console', new Date('2026-03-08T23:00:00Z'));
    expect(created).toEqual({
      id: 'primary',
      name: 'Primary',
      timeZone: 'UTC',
      handoff: '09:00',
      rotationDays: 7,
      startsOn: '2026-03-02',
      participants: ['ada', 'bob'],
      escalation: { ackMinutes: 15, chain: [{ to: 'next_in_rotation' }, { to: 'user', login: 'mia' }] },
    });
    expect(store.list()).toEqual([created]);
    expect(new ScheduleStore(teamDb()).ensureDefault('console', new Date('2026-03-09T00:00:00Z'))?.startsOn).toBe('2026-03-09');
  });

  it('is created only when there is no schedule at all', async () => {
    const store = new ScheduleStore(teamDb());
    store.save(primary({ id: 'nights', participants: ['bob'] }), 'admin');
    expect(store.ensureDefault('console')).toBeUndefined();
    expect(store.list().map((s) => s.id)).toEqual(['nights']);
  });

  it('is not created without anyone to page, and escalates to nobody it cannot name', async () => {
    expect(new ScheduleStore(await withPeople([['cyd', 'support', null], ['mia', 'manager', 'mia@example.com']])).ensureDefault('console')).toBeUndefined();
    const alone = new ScheduleStore(await withPeople([['ada', 'support', 'ada@example.com']])).ensureDefault('console');
    expect(alone?.escalation.chain).toEqual([]);
  });
});

describe('recipientsOf', () => {
  it('gives the reachable people in order, each once, and why the others are not', async () => {
    const db = teamDb();
    expect(recipientsOf(db, ['bob', 'zed', 'ADA', 'cyd', 'dan', 'Bob'])).toEqual({
      recipients: [
        { login: 'bob', name: 'BOB', email: 'bob@example.com' },
        { login: 'ada', name: 'ADA', email: 'ada@example.com' },
      ],
      missing: [
        { login: 'zed', reason: 'unknown' },
        { login: 'cyd', reason: 'no email' },
        { login: 'dan', reason: 'disabled' },
      ],
    });
  });
});
