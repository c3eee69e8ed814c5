import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAlerting, type Alerting } from '../../../src/lib/alerts';
import type { AlertRuleInput } from '../../../src/lib/alerts/rules/rule';
import { listAudit } from '../../../src/lib/audit';
import { clickHouseSpanSink } from '../../../src/lib/collectors/clickhouse-span-sink';
import { refreshFacts } from '../../../src/lib/processes/facts-refresher';
import { defaultSlas } from '../../../src/lib/processes/slas';
import { addUser } from '../../../src/lib/server/auth';
import { migrate, readMigrationDir, type ClickHouse } from '../../../src/lib/server/clickhouse';
import { openConsoleDb, type ConsoleDb } from '../../../src/lib/server/console-db';
import { aSpanRow } from '../../factories/spans';
import { freshClickHouse } from '../../support/clickhouse';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink';

/**
 * Alerting end to end on real parts: rules measured on the embedded ClickHouse, alert state and
 * the outbox in the console's SQLite, email through nodemailer to a real SMTP server on loopback.
 * Time is the evaluation's `now`, moved forward by the test; mail goes out on `deliverNow`.
 */

const MIN = 60_000;
let ch: ClickHouse;
let smtp: SmtpSink;
let db: ConsoleDb;
let alerting: Alerting;
let circuits: { id: string; circuit: string }[];
let spansAccepted: number;
const T0 = Date.now();
const at = (minutes: number) => new Date(T0 + minutes * MIN);
let now = new Date(T0);

beforeAll(async () => {
  ch = await freshClickHouse('alerts');
  await migrate(ch, await readMigrationDir(fileURLToPath(new URL('../../../migrations/', import.meta.url))));
  smtp = await startSmtpSink();
});
afterAll(async () => {
  await smtp?.close();
  await ch?.close();
});

beforeEach(async () => {
  db = openConsoleDb(join(mkdtempSync(join(tmpdir(), 'crossdock-alerts-')), 'console.db'));
  for (const [login, role] of [['ada', 'support'], ['bob', 'support'], ['cleo', 'manager']] as const) {
    await addUser(db, { login, name: login[0].toUpperCase() + login.slice(1), role, password: 'correct horse battery', email: `${login}@example.test` });
  }
  circuits = [];
  spansAccepted = 0;
  smtp.received.length = 0;
  alerting = startAlerting({
    db,
    clickhouse: ch,
    circuits: async () => circuits,
    openDeadLetters: () => 0,
    spansAccepted: () => spansAccepted,
    smtp: { url: smtp.url, from: 'Crossdock alerts <alerts@crossdock.test>', tlsCa: undefined },
    evaluationMs: 0,
    deliveryMs: 0,
    publicUrl: 'http://console.test',
    linkSecret: 'a'.repeat(40),
    clock: () => now,
  });
  // Ada is on call this week, Bob next; unacknowledged for 15 min goes to Bob, then to Cleo.
  alerting.schedules.save(
    { id: 'primary', name: 'Primary', timeZone: 'UTC', handoff: '00:00', rotationDays: 7, startsOn: new Date(T0 - 86_400_000).toISOString().slice(0, 10), participants: ['ada', 'bob'], escalation: { ackMinutes: 15, chain: [{ to: 'next_in_rotation' }, { to: 'user', login: 'cleo' }] } },
    'test',
  );
  // The shipped rules stay out of the way; each test says what it watches.
  for (const rule of alerting.rules.list()) alerting.rules.save({ ...strip(rule), enabled: false }, 'test');
});
afterEach(async () => {
  await alerting.stop();
  db.close();
});

const strip = <T extends object>(rule: T) => {
  const { updatedBy: _b, updatedAt: _a, isDefault: _d, ...definition } = rule as T & { updatedBy: unknown; updatedAt: unknown; isDefault: unknown };
  return definition;
};
const rule = (input: Partial<AlertRuleInput> & Pick<AlertRuleInput, 'id' | 'condition'>) =>
  alerting.rules.save({ name: `rule ${input.id}`, enabled: true, severity: 'critical', forMinutes: 0, keepFiringMinutes: 0, repeatMinutes: 0, ...input }, 'test');

/** Spans as the runtime sends them, then the refresher's pass over what arrived. */
async function load(rows: Parameters<typeof aSpanRow>[0][], kind?: 'Client') {
  await clickHouseSpanSink(ch.client).write(rows.map((row) => ({ ...aSpanRow(row), ...(kind ? { SpanKind: kind } : {}) })));
  await refreshFacts(ch, defaultSlas);
}

/** Evaluates at `when`, then delivers the outbox and waits for `expected` messages in all. */
async function evaluateAndDeliver(when: Date, expected: number) {
  await evaluateAt(when);
  await alerting.deliverNow();
  return smtp.waitFor(expected);
}

/** One evaluation pass at `when`. */
async function evaluateAt(when: Date) {
  now = when;
  await alerting.evaluateNow();
}

const subjects = () => smtp.received.map((r) => `${r.to.join(',')}: ${r.mail.subject}`);

describe('alerting on real ClickHouse and SMTP', () => {
  it('fires once for an outage at one warehouse, groups its alerts into one email, and resolves once', async () => {
    const released = new Date(T0 - 10 * MIN);
    const orders = Array.from({ length: 12 }, (_, i) => `S-OUT-${i}`);
    await load(orders.map((correlationId) => ({ correlationId, process: 'order_fulfillment', milestone: 'released', at: released, warehouse: 'wms-rest', serviceClass: 'realtime' })));
    await load(Array.from({ length: 20 }, (_, i) => ({ correlationId: orders[i % 12], at: new Date(T0 - i * 5_000), endpoint: 'wms-rest', error: true, name: 'POST /orders' })), 'Client');
    circuits = [{ id: 'wms-rest', circuit: 'open' }];
    rule({ id: 'stuck', condition: { kind: 'stuck_transactions', above: 10 }, scope: { process: 'order_fulfillment' } });
    rule({ id: 'partner', condition: { kind: 'partner_health', circuitOpen: true, errorRatePercent: 25, windowMinutes: 5, minCalls: 10 }, forMinutes: 1, keepFiringMinutes: 2 });

    // Stuck orders fire at once; the partner rule is pending for a minute: one email to Ada.
    await evaluateAndDeliver(at(0), 1);
    const [firing] = smtp.received;
    expect(firing.to).toEqual(['ada@example.test']);
    expect(firing.mail.subject).toMatch(/FIRING/);
    expect(firing.mail.subject).toMatch(/wms-rest/);
    expect(firing.mail.text).toContain('12 orders stuck past their SLA at wms-rest');
    expect(firing.mail.text).toContain('http://console.test/transactions/S-OUT-');
    expect(firing.mail.headers.get('x-crossdock-group')).toBe('warehouse=wms-rest');
    expect(firing.mail.html).toContain('http://console.test/ack/');

    // The partner alert fires into the same group: no second email, and repeated passes add none.
    await evaluateAt(at(1));
    await evaluateAt(at(2));
    await alerting.deliverNow();
    const active = alerting.book.list({ state: ['firing'] }).items;
    expect(active.map((a) => a.ruleId).sort()).toEqual(['partner', 'stuck']);
    // The partner alert names the orders whose calls failed, newest first.
    expect(active.find((a) => a.ruleId === 'partner')!.affected.map((t) => t.correlationId)).toEqual(expect.arrayContaining(['S-OUT-0', 'S-OUT-1']));
    expect(alerting.groups.open()).toHaveLength(1);
    expect(subjects()).toHaveLength(1);

    // The warehouse recovers: orders acknowledged, circuit closed, failures age out of the window.
    await load(orders.map((correlationId) => ({ correlationId, process: 'order_fulfillment', milestone: 'acknowledged', at: at(3), warehouse: 'wms-rest', serviceClass: 'realtime' })));
    circuits = [{ id: 'wms-rest', circuit: 'closed' }];
    await evaluateAt(at(4)); // the orders moved on: stuck resolves; the failures are still in the partner's window
    await evaluateAt(at(5.5)); // out of the window now, but inside the partner rule's 2 keep-firing minutes
    await alerting.deliverNow();
    expect(subjects()).toHaveLength(1);
    expect(alerting.book.list({ state: ['firing'] }).items.map((a) => a.ruleId)).toEqual(['partner']);
    const [, resolved] = await evaluateAndDeliver(at(6.5), 2);
    expect(resolved.to).toEqual(['ada@example.test']);
    expect(resolved.mail.subject).toMatch(/RESOLVED/);
    expect(resolved.mail.text).toContain('12 orders stuck');
    expect(resolved.mail.inReplyTo).toBeTruthy();
    expect(resolved.mail.inReplyTo).toBe(firing.mail.messageId); // one thread per incident
    expect(alerting.groups.open()).toHaveLength(0);

    // The history tells the whole story, in order.
    const kinds = alerting.book.history({ limit: 100 }).items.map((e) => e.kind).reverse();
    expect(kinds.filter((k) => ['firing', 'notified', 'sent', 'resolved', 'resolved_notified'].includes(k))).toEqual([
      'firing', 'notified', 'sent', 'firing', 'resolved', 'resolved', 'resolved_notified', 'sent',
    ]);
  });

  it('escalates along the chain when nobody acknowledges, repeats, and stops once someone does', async () => {
    rule({ id: 'quiet', condition: { kind: 'telemetry_silence', silentMinutes: 5 }, repeatMinutes: 30, groupBy: ['rule'] });
    await evaluateAndDeliver(at(10), 1); // no span for 10 min: Ada
    await evaluateAndDeliver(at(20), 1); // 10 min unacknowledged: nothing yet
    await evaluateAndDeliver(at(26), 2); // 16 min: Bob, next in rotation
    await evaluateAndDeliver(at(42), 3); // 16 min later: Cleo, the manager
    await evaluateAndDeliver(at(58), 3); // the chain is exhausted; the repeat is due 30 min after the last notice
    await evaluateAndDeliver(at(73), 6); // repeat to all three
    expect(subjects().slice(0, 3)).toEqual([
      expect.stringMatching(/^ada@example.test: \[FIRING/),
      expect.stringMatching(/^bob@example.test: \[ESCALATED/),
      expect.stringMatching(/^cleo@example.test: \[ESCALATED/),
    ]);
    expect(smtp.received.slice(3).map((r) => r.to[0]).sort()).toEqual(['ada@example.test', 'bob@example.test', 'cleo@example.test']);
    expect(smtp.received[1].mail.text).toMatch(/Ada/); // says who did not acknowledge

    const [group] = alerting.groups.open();
    alerting.groups.acknowledge(group.id, 'bob', 'console');
    await evaluateAndDeliver(at(120), 6); // acknowledged: no repeat, no escalation
    expect(smtp.received).toHaveLength(6);
    expect(listAudit(db, { action: 'alert.acknowledged' }).items[0]).toMatchObject({ actor: 'bob', subject: `alert_group:${group.id}` });
    expect(() => alerting.groups.acknowledge(group.id, 'ada', 'console')).toThrow(/already acknowledged by bob/);

    // Spans arrive again: resolved, told to everyone who was told.
    spansAccepted = 10;
    await evaluateAndDeliver(at(121), 9);
    expect(smtp.received.slice(6).every((r) => /RESOLVED/.test(r.mail.subject ?? ''))).toBe(true);
  });

  it('holds back email for silenced alerts (audited), and sends once the silence ends', async () => {
    rule({ id: 'quiet', condition: { kind: 'telemetry_silence', silentMinutes: 5 }, groupBy: ['rule'] });
    const silence = alerting.silences.create({ kind: 'maintenance', matchers: { rule: 'quiet' }, endsAt: at(60), reason: 'collector upgrade' }, 'cleo');
    await evaluateAt(at(10));
    await evaluateAt(at(11));
    await alerting.deliverNow();
    expect(alerting.book.list({ state: ['firing'] }).total).toBe(1);
    expect(smtp.received).toHaveLength(0);
    expect(alerting.book.history({ kind: ['suppressed'] }).items).toHaveLength(1);

    alerting.silences.expire(silence.id, 'cleo');
    await evaluateAndDeliver(at(12), 1);
    expect(smtp.received[0].mail.subject).toMatch(/FIRING/);
    expect(listAudit(db, { subject: `silence:${silence.id}` }).items.map((e) => e.action).sort()).toEqual(['silence.created', 'silence.expired']);
  });

  it('retries a delivery the SMTP server refuses, and delivers it exactly once when it recovers', async () => {
    rule({ id: 'quiet', condition: { kind: 'telemetry_silence', silentMinutes: 5 }, groupBy: ['rule'] });
    smtp.failNext(2);
    await evaluateAt(at(10));
    await alerting.deliverNow();
    const [message] = alerting.outbox.list({}).items;
    expect(message).toMatchObject({ status: 'pending', attempts: 1 });
    expect(message.lastError).toMatch(/451/);
    expect(alerting.book.history({ kind: ['send_failed'] }).items).toHaveLength(1);

    // Not due before its backoff; then the second refusal, then delivery.
    now = new Date(message.nextAttemptAt - 1);
    await alerting.deliverNow();
    expect(alerting.outbox.get(message.id)).toMatchObject({ attempts: 1 });
    now = new Date(message.nextAttemptAt);
    await alerting.deliverNow();
    expect(alerting.outbox.get(message.id)).toMatchObject({ status: 'pending', attempts: 2 });
    now = new Date(alerting.outbox.get(message.id)!.nextAttemptAt);
    await alerting.deliverNow();
    await smtp.waitFor(1);
    expect(alerting.outbox.get(message.id)).toMatchObject({ status: 'sent' });
    expect(alerting.book.history({ kind: ['send_failed', 'sent'] }).items.map((e) => e.kind)).toEqual(['sent', 'send_failed', 'send_failed']);
    now = new Date(now.getTime() + 60 * MIN);
    await alerting.deliverNow();
    expect(smtp.received).toHaveLength(1);
  });
});

describe('alerting while the mail server hangs', () => {
  it('evaluates and records on its own; the email waits in the outbox and is retried, nothing blocks', async () => {
    // A server that accepts connections and never says a word.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const hangingDb = openConsoleDb(join(mkdtempSync(join(tmpdir(), 'crossdock-alerts-hang-')), 'console.db'));
    await addUser(hangingDb, { login: 'ada', role: 'support', password: 'correct horse battery', email: 'ada@example.test' });
    let clock = new Date(T0);
    const hanging = startAlerting({
      db: hangingDb, clickhouse: ch, circuits: async () => [], openDeadLetters: () => 0, spansAccepted: () => 0,
      smtp: { url: `smtp://127.0.0.1:${(silent.address() as AddressInfo).port}`, from: 'alerts@crossdock.test', tlsCa: undefined },
      evaluationMs: 0, deliveryMs: 0, mailTimeoutMs: 300, publicUrl: 'http://console.test', clock: () => clock,
    });
    try {
      for (const r of hanging.rules.list()) hanging.rules.save({ ...strip(r), enabled: r.id === 'telemetry-silent' }, 'test');
      clock = at(11);
      const delivery = hanging.deliverNow();
      await hanging.evaluateNow(); // fires and queues the email while a delivery pass is stuck on the server
      expect(hanging.book.list({ state: ['firing'] }).total).toBe(1);
      expect(hanging.outbox.list({}).items[0]).toMatchObject({ status: 'pending', attempts: 0 });
      await delivery;
      await hanging.deliverNow();
      const [message] = hanging.outbox.list({}).items;
      expect(message).toMatchObject({ status: 'pending', attempts: 1 });
      expect(message.lastError).toMatch(/timeout|timed out/i);
      expect(hanging.book.history({ kind: ['send_failed'] }).items).toHaveLength(1);
      clock = at(12);
      await hanging.evaluateNow(); // evaluation goes on; the same incident queues nothing new
      expect(hanging.outbox.list({}).total).toBe(1);
    } finally {
      await hanging.stop();
      hangingDb.close();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
