import { randomBytes } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { appendAudit, verifyAudit } from '../../src/lib/audit';
import { addUser, checkCredentials, UserExistsError } from '../../src/lib/server/auth/users';
import { createSession, endSession, readSession } from '../../src/lib/server/auth/sessions';
import type { ConsoleDb } from '../../src/lib/server/console-db';
import { Lease } from '../../src/lib/lease';
import { openPostgresConsoleDb } from '../../src/lib/server/postgres/console-db-postgres';
import { SyncPgClient } from '../../src/lib/server/postgres/sync-client';

/**
 * Two console replicas on one PostgreSQL (`DATABASE_URL`, here a fresh schema in the server on
 * 127.0.0.1:5432): what one writes the other reads at once, a login is unique without case on
 * both, transactions take turns (the audit chain stays whole when both append), and one replica
 * at a time holds the background duties.
 */
const base = process.env.CROSSDOCK_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `replicas_${randomBytes(4).toString('hex')}`;
const admin = new SyncPgClient(base);
admin.query(`CREATE SCHEMA ${schema}`);
const url = new URL(base);
url.searchParams.set('options', `-c search_path=${schema}`);
const replicas: ConsoleDb[] = [];
afterAll(() => {
  for (const db of replicas) db.close();
  admin.query(`DROP SCHEMA ${schema} CASCADE`);
  admin.close();
});

it('shares people, sessions, the audit log and the duties between replicas', async () => {
  // Both start together: the schema is created once, under the transaction lock.
  const a = openPostgresConsoleDb(url.toString());
  const b = openPostgresConsoleDb(url.toString());
  replicas.push(a, b);
  expect(a.dialect).toBe('postgres');

  const dana = await addUser(a, { login: 'Dana', name: 'Dana', role: 'support', password: 'correct horse battery', email: 'dana@example.com' });
  await expect(addUser(b, { login: 'dana', name: 'Other', role: 'viewer', password: 'correct horse battery', email: null })).rejects.toBeInstanceOf(UserExistsError);
  expect((await checkCredentials(b, 'DANA', 'correct horse battery'))?.id).toBe(dana.id);

  // Signed in on one replica, recognised on the other; signed out on the other, gone on the first.
  const { id } = createSession(a, dana, 3_600_000);
  expect(readSession(b, id, 3_600_000)?.user.login).toBe('Dana');
  endSession(b, id);
  expect(readSession(a, id, 3_600_000)).toBeUndefined();

  for (let i = 0; i < 20; i++) appendAudit(i % 2 ? a : b, { actor: 'dana', action: 'incident.assigned', subject: `n:${i}`, detail: { i } });
  expect(verifyAudit(a)).toMatchObject({ ok: true });
  expect(() => a.prepare("UPDATE audit_log SET actor = 'mallory'").run()).toThrow(/append-only/);

  const first = new Lease(a, { name: 'console-duties', ttlMs: 60_000 });
  const second = new Lease(b, { name: 'console-duties', ttlMs: 60_000 });
  expect([first.renew(), second.renew()]).toEqual([true, false]);
  first.stop();
  expect(second.renew()).toBe(true);
});
