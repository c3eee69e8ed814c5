import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aNotice } from '../../../../test/factories/alert-notice';
import { fakeMailer, smtpError } from '../../../../test/support/fake-mailer';
import { openConsoleDb, type ConsoleDb } from '../../server/console-db';
import { compose } from './compose';
import { startMailDelivery, type MailDelivery } from './delivery';
import type { Mailer } from './mailer';
import { MailOutbox } from './outbox';
import { defaultTemplates } from './templates';

describe('startMailDelivery', () => {
  let dir: string;
  let db: ConsoleDb;
  let outbox: MailOutbox;
  let delivery: MailDelivery | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crossdock-delivery-'));
    db = openConsoleDb(join(dir, 'console.db'));
    outbox = new MailOutbox(db, { random: () => 0 });
  });
  afterEach(async () => {
    await delivery?.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const enqueue = (now = Date.now()) => outbox.enqueue({ groupId: 7, kind: 'firing', recipient: aNotice().recipient, message: compose(aNotice(), defaultTemplates.firing) }, now);

  it('keeps mail pending without a mail server, and says so once, not every pass', async () => {
    const errors: string[] = [];
    delivery = startMailDelivery({ outbox, mailer: undefined, intervalMs: 0, onError: (e) => errors.push(e.message) });
    expect(await delivery.runOnce()).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(errors).toEqual([]);
    enqueue();
    await delivery.runOnce();
    await delivery.runOnce();
    enqueue();
    await delivery.runOnce();
    expect(errors).toEqual(['SMTP_URL is not set: alert email is kept in the outbox, unsent, until a mail server is configured']);
    expect(outbox.countPending()).toBe(2);
  });

  it('sends on a timer, telling the hooks, and reports a failing server once while it keeps failing', async () => {
    const errors: string[] = [];
    const outcomes: string[] = [];
    const { mailer, sent } = fakeMailer((_, call) => (call <= 2 ? smtpError('EAUTH', 535) : undefined));
    let now = Date.now();
    delivery = startMailDelivery({
      outbox,
      mailer,
      intervalMs: 10,
      clock: () => now,
      onSent: (m) => outcomes.push(`sent ${m.id}`),
      onFailed: (m, _e, final) => outcomes.push(`failed ${m.id} after ${m.attempts}${final ? ', final' : ''}`),
      onError: (e) => errors.push(e.message),
    });
    const id = enqueue(now);
    await expect.poll(() => outcomes.length).toBe(1);
    now += 15_000;
    await expect.poll(() => outcomes.length).toBe(2);
    now += 30_000;
    await expect.poll(() => sent.length).toBe(1);
    expect(outcomes).toEqual([`failed ${id} after 1`, `failed ${id} after 2`, `sent ${id}`]);
    expect(errors).toEqual(['alert email could not be sent: EAUTH 535: EAUTH refused: 535 try later']);
  });

  it('never overlaps passes: asked during one, it runs one more right after, for mail enqueued meanwhile', async () => {
    const { mailer, sent } = fakeMailer();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let inFlight = 0;
    let most = 0;
    const slow: Mailer = {
      ...mailer,
      async send(mail) {
        most = Math.max(most, ++inFlight);
        await gate;
        inFlight--;
        return mailer.send(mail);
      },
    };
    delivery = startMailDelivery({ outbox, mailer: slow, intervalMs: 0 });
    enqueue();
    const first = delivery.runOnce();
    enqueue();
    const second = delivery.runOnce();
    const third = delivery.runOnce();
    expect(third).toBe(second);
    release();
    expect(await first).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(await second).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect([sent.length, most]).toEqual([2, 1]);
  });

  it('stop waits for the pass under way and runs no more', async () => {
    const { mailer, sent } = fakeMailer();
    const slow: Mailer = { ...mailer, send: async (mail) => (await new Promise((r) => setTimeout(r, 50)), mailer.send(mail)) };
    delivery = startMailDelivery({ outbox, mailer: slow, intervalMs: 0 });
    enqueue();
    void delivery.runOnce();
    await delivery.stop();
    expect(sent).toHaveLength(1);
    enqueue();
    expect(await delivery.runOnce()).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(outbox.countPending()).toBe(1);
  });

  it('reports a pass that throws instead of throwing out of the loop', async () => {
    const errors: string[] = [];
    const { mailer } = fakeMailer();
    delivery = startMailDelivery({ outbox, mailer, intervalMs: 0, onSent: () => { throw new Error('history is full'); }, onError: (e) => errors.push(e.message) });
    enqueue();
    expect(await delivery.runOnce()).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(errors).toEqual(['a delivery hook failed: history is full']);
    expect(outbox.list({ status: 'sent' }).total).toBe(1);
  });
});
