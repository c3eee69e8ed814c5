import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aNotice } from '../../../../test/factories/alert-notice';
import { fakeMailer, smtpError } from '../../../../test/support/fake-mailer';
import { openConsoleDb, type ConsoleDb } from '../../server/console-db';
import type { NoticeKind } from '../alert';
import { compose } from './compose';
import type { Mailer } from './mailer';
import { MailOutbox, OutboxError, type OutboxMessage, type OutboxOptions } from './outbox';
import { retryDelayMs } from './retry-policy';
import { defaultTemplates } from './templates';

const T0 = 1_800_000_000_000;

describe('retryDelayMs', () => {
  it('doubles from 15 s to a 15 min cap, less at most 10% jitter', () => {
    const schedule = (random: number) => Array.from({ length: 9 }, (_, i) => retryDelayMs(i + 1, () => random));
    expect(schedule(0)).toEqual([15_000, 30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
    expect(schedule(1)).toEqual([13_500, 27_000, 54_000, 108_000, 216_000, 432_000, 810_000, 810_000, 810_000]);
    expect(retryDelayMs(40, Math.random)).toBeLessThanOrEqual(900_000);
  });
});

describe('MailOutbox', () => {
  let dir: string;
  let db: ConsoleDb;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crossdock-outbox-'));
    db = openConsoleDb(join(dir, 'console.db'));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const outboxOf = (options: OutboxOptions = {}) => new MailOutbox(db, { random: () => 0, ...options });
  const enqueue = (outbox: MailOutbox, overrides: { groupId?: number; kind?: NoticeKind; login?: string; at?: number } = {}) => {
    const notice = aNotice({ groupId: overrides.groupId ?? 7, kind: overrides.kind ?? 'firing' });
    const recipient = { ...notice.recipient, login: overrides.login ?? 'ada' };
    return outbox.enqueue({ groupId: notice.groupId, kind: notice.kind, recipient, message: compose(notice, defaultTemplates[notice.kind]) }, overrides.at ?? T0);
  };

  it('keeps a composed message and sends it once, with its headers, recording the Message-ID', async () => {
    const outbox = outboxOf();
    const id = enqueue(outbox);
    const { mailer, sent } = fakeMailer();
    const delivered: OutboxMessage[] = [];
    expect(await outbox.deliverDue(mailer, T0, { onSent: (m) => delivered.push(m) })).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(await outbox.deliverDue(mailer, T0 + 60_000)).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: { name: 'Ada Okafor', email: 'ada@crossdock.example' }, subject: '[FIRING · CRITICAL] wms-rest: circuit to wms-rest open (2 alerts)' });
    expect(sent[0].headers).toMatchObject({ 'X-Crossdock-Group': 'partner=wms-rest', 'X-Crossdock-Notice': 'firing' });
    expect(sent[0].text).toContain('value 37');
    const stored = outbox.get(id)!;
    expect(stored).toMatchObject({ status: 'sent', attempts: 0, sentAt: T0, messageId: sent[0].headers['Message-ID'], lastError: null });
    expect(delivered).toEqual([stored]);
  });

  it('retries a temporary refusal on the backoff schedule, recording each error', async () => {
    const outbox = outboxOf();
    const id = enqueue(outbox);
    const { mailer, sent } = fakeMailer((_, call) => (call <= 2 ? smtpError('EMESSAGE', 451) : undefined));
    const failures: [number, boolean][] = [];
    const hooks = { onFailed: (m: OutboxMessage, _e: Error, final: boolean) => failures.push([m.attempts, final]) };

    expect(await outbox.deliverDue(mailer, T0, hooks)).toEqual({ sent: 0, failed: 0, retried: 1 });
    expect(outbox.get(id)).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: T0 + 15_000, lastError: 'EMESSAGE 451: EMESSAGE refused: 451 try later' });
    expect(await outbox.deliverDue(mailer, T0 + 14_999, hooks)).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(await outbox.deliverDue(mailer, T0 + 15_000, hooks)).toEqual({ sent: 0, failed: 0, retried: 1 });
    expect(outbox.get(id)).toMatchObject({ attempts: 2, nextAttemptAt: T0 + 15_000 + 30_000 });
    expect(await outbox.deliverDue(mailer, T0 + 45_000, hooks)).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(outbox.get(id)).toMatchObject({ status: 'sent', attempts: 2, sentAt: T0 + 45_000 });
    expect(failures).toEqual([[1, false], [2, false]]);
    expect(sent).toHaveLength(1);
  });

  it('fails a message for good after maxAttempts', async () => {
    const outbox = outboxOf({ maxAttempts: 3 });
    const id = enqueue(outbox);
    const { mailer, calls } = fakeMailer(() => smtpError('EMESSAGE', 451));
    const finals: boolean[] = [];
    let now = T0;
    const results = [];
    for (let pass = 0; pass < 5; pass++) {
      results.push(await outbox.deliverDue(mailer, now, { onFailed: (_m, _e, final) => finals.push(final) }));
      now += 15 * 60_000;
    }
    expect(results.map((r) => [r.retried, r.failed])).toEqual([[1, 0], [1, 0], [0, 1], [0, 0], [0, 0]]);
    expect(finals).toEqual([false, false, true]);
    expect(calls()).toBe(3);
    expect(outbox.get(id)).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it('fails at once what the server refuses for good, but retries a refused login', async () => {
    const outbox = outboxOf();
    const rejected = enqueue(outbox);
    const { mailer } = fakeMailer(() => smtpError('EENVELOPE', 550));
    expect(await outbox.deliverDue(mailer, T0)).toEqual({ sent: 0, failed: 1, retried: 0 });
    expect(outbox.get(rejected)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'EENVELOPE 550: EENVELOPE refused: 550 try later' });

    const login = enqueue(outbox);
    const wrongPassword = fakeMailer(() => smtpError('EAUTH', 535));
    expect(await outbox.deliverDue(wrongPassword.mailer, T0)).toEqual({ sent: 0, failed: 0, retried: 1 });
    expect(outbox.get(login)).toMatchObject({ status: 'pending', attempts: 1 });
  });

  it('ends the pass when the server cannot be reached, but not when it refuses one message', async () => {
    const outbox = outboxOf();
    const ids = [enqueue(outbox), enqueue(outbox), enqueue(outbox)];
    const down = fakeMailer(() => smtpError('ECONNECTION'));
    expect(await outbox.deliverDue(down.mailer, T0)).toEqual({ sent: 0, failed: 0, retried: 1 });
    expect(down.calls()).toBe(1);
    expect(ids.map((id) => outbox.get(id)!.attempts)).toEqual([1, 0, 0]);
    expect(outbox.get(ids[0])!.lastError).toBe('ECONNECTION: ECONNECTION refused');

    const busy = fakeMailer(() => smtpError('EMESSAGE', 452));
    expect(await outbox.deliverDue(busy.mailer, T0 + 15_000)).toEqual({ sent: 0, failed: 0, retried: 3 });
  });

  it('sends oldest first, a bounded batch per pass', async () => {
    const outbox = outboxOf({ batchSize: 2 });
    const ids = [enqueue(outbox, { login: 'a' }), enqueue(outbox, { login: 'b' }), enqueue(outbox, { login: 'c' })];
    const { mailer } = fakeMailer();
    expect((await outbox.deliverDue(mailer, T0)).sent).toBe(2);
    expect(ids.map((id) => outbox.get(id)!.status)).toEqual(['sent', 'sent', 'pending']);
    expect((await outbox.deliverDue(mailer, T0)).sent).toBe(1);
  });

  it('never sends one message twice from passes that overlap', async () => {
    const outbox = outboxOf();
    enqueue(outbox);
    enqueue(outbox);
    const { mailer, sent } = fakeMailer();
    const slow: Mailer = { ...mailer, send: async (mail) => (await new Promise((r) => setTimeout(r, 20)), mailer.send(mail)) };
    const results = await Promise.all([outbox.deliverDue(slow, T0), outbox.deliverDue(slow, T0)]);
    expect(results.map((r) => r.sent).reduce((a, b) => a + b)).toBe(2);
    expect(sent).toHaveLength(2);
  });

  it('keeps delivering when a hook throws, and says so after the batch', async () => {
    const outbox = outboxOf();
    const ids = [enqueue(outbox), enqueue(outbox)];
    const { mailer } = fakeMailer();
    await expect(outbox.deliverDue(mailer, T0, { onSent: () => { throw new Error('history is full'); } })).rejects.toThrow('a delivery hook failed: history is full');
    expect(ids.map((id) => outbox.get(id)!.status)).toEqual(['sent', 'sent']);
  });

  it('lists newest first by status and group, with the total', async () => {
    const outbox = outboxOf();
    const a = enqueue(outbox, { groupId: 1 });
    const b = enqueue(outbox, { groupId: 2 });
    const c = enqueue(outbox, { groupId: 2, kind: 'resolved' });
    await outbox.deliverDue(fakeMailer((mail) => (mail.headers['X-Crossdock-Notice'] === 'resolved' ? smtpError('EENVELOPE', 550) : undefined)).mailer, T0);
    const ids = (filter: Parameters<MailOutbox['list']>[0]) => outbox.list(filter).items.map((m) => m.id);
    expect(ids({})).toEqual([c, b, a]);
    expect(ids({ status: 'failed' })).toEqual([c]);
    expect(ids({ status: 'sent', groupId: 2 })).toEqual([b]);
    expect(outbox.list({ groupId: 2, limit: 1, offset: 1 })).toMatchObject({ total: 2, items: [{ id: b, kind: 'firing', recipient: { login: 'ada' } }] });
    expect(() => outbox.list({ status: 'lost' as 'sent' })).toThrow();
  });

  it('retries a failed message now with fresh attempts, noting who; nothing else can be retried', async () => {
    const outbox = outboxOf({ maxAttempts: 1 });
    const id = enqueue(outbox);
    await outbox.deliverDue(fakeMailer(() => smtpError('EAUTH', 535)).mailer, T0);
    expect(outbox.get(id)).toMatchObject({ status: 'failed', attempts: 1 });
    const retried = outbox.retry(id, 'grace', T0 + 3_600_000);
    expect(retried).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: T0 + 3_600_000 });
    expect(retried.lastError).toBe('EAUTH 535: EAUTH refused: 535 try later (retried by grace at 2027-01-15T09:00:00.000Z)');
    expect(() => outbox.retry(id, 'grace')).toThrow(new OutboxError(409, `message ${id} is pending, not failed`));
    expect(() => outbox.retry(999, 'grace')).toThrow(new OutboxError(404, 'there is no message 999 in the outbox'));
    expect((await outbox.deliverDue(fakeMailer().mailer, T0 + 3_600_000)).sent).toBe(1);
  });
});
