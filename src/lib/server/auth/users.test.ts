import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../audit';
import { openConsoleDb, type ConsoleDb } from '../console-db';
import { addUser, checkCredentials, listUsers, setEmail, setRole, UnknownUserError } from './users';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function freshDb(): ConsoleDb {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-users-'));
  dirs.push(dir);
  return openConsoleDb(join(dir, 'console.db'));
}

const password = 'correct horse battery';

describe('people and their email addresses', () => {
  it('adds a person with an address, or without one, and audits it', async () => {
    const db = freshDb();
    const dana = await addUser(db, { login: 'dana', role: 'support', password, email: ' dana@example.com ' });
    expect(dana).toMatchObject({ login: 'dana', email: 'dana@example.com' });
    expect((await addUser(db, { login: 'lee', role: 'viewer', password })).email).toBeNull();
    expect((await checkCredentials(db, 'dana', password))?.email).toBe('dana@example.com');
    expect(listAudit(db, { action: 'user.added', subject: 'user:dana' }).items[0].detail).toEqual({ after: { role: 'support', email: 'dana@example.com' } });
  });

  it('refuses an address that is not one, or longer than SMTP carries', async () => {
    const db = freshDb();
    await expect(addUser(db, { login: 'dana', role: 'support', password, email: 'dana at example' })).rejects.toThrow('must be an email address such as ada@example.com');
    const long = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`;
    await expect(addUser(db, { login: 'dana', role: 'support', password, email: long })).rejects.toThrow('must be at most 254 characters');
    expect(listUsers(db)).toEqual([]);
  });

  it('sets and clears an address, auditing before and after, and skips a change that changes nothing', async () => {
    const db = freshDb();
    await addUser(db, { login: 'dana', role: 'support', password });
    expect(setEmail(db, 'Dana', 'dana@example.com', 'admin').email).toBe('dana@example.com');
    expect(setEmail(db, 'dana', 'dana@example.com', 'admin').email).toBe('dana@example.com');
    expect(setEmail(db, 'dana', null, 'admin').email).toBeNull();
    const changes = listAudit(db, { action: 'user.email_changed' }).items.reverse();
    expect(changes.map((entry) => [entry.actor, entry.subject, entry.detail])).toEqual([
      ['admin', 'user:dana', { before: { email: null }, after: { email: 'dana@example.com' } }],
      ['admin', 'user:dana', { before: { email: 'dana@example.com' }, after: { email: null } }],
    ]);
    expect(() => setEmail(db, 'nobody', 'n@example.com')).toThrow(UnknownUserError);
    expect(() => setEmail(db, 'dana', 'not-an-address')).toThrow('must be an email address');
  });

  it('keeps the address when the role changes', async () => {
    const db = freshDb();
    await addUser(db, { login: 'dana', role: 'support', password, email: 'dana@example.com' });
    expect(setRole(db, 'dana', 'manager')).toMatchObject({ role: 'manager', email: 'dana@example.com' });
  });

  it('lists everyone by login, disabled people included', async () => {
    const db = freshDb();
    await addUser(db, { login: 'zoe', name: 'Zoe Z', role: 'approver', password, email: 'zoe@example.com' });
    await addUser(db, { login: 'ada', role: 'manager', password });
    db.prepare("UPDATE users SET disabled = 1 WHERE login = 'ada'").run();
    expect(listUsers(db)).toEqual([
      { login: 'ada', name: 'ada', role: 'manager', email: null, disabled: true },
      { login: 'zoe', name: 'Zoe Z', role: 'approver', email: 'zoe@example.com', disabled: false },
    ]);
  });
});
