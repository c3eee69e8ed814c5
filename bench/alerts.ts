/**
 * Alerting at scale: the time one evaluation pass of the shipped rules takes over N transactions
 * (support/console-dataset.ts: 1M transactions, 10M spans by default), each rule's measure apart,
 * and how fast alert email leaves the outbox for a real SMTP server on loopback.
 *
 *   npx tsx bench/alerts.ts [--transactions 1000000] [--passes 10] [--mails 500] [--data-dir DIR]
 *
 * With --data-dir the dataset is loaded once and reused (see bench/console.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startAlerting } from '../src/lib/alerts';
import { Measures } from '../src/lib/alerts/measures';
import { refreshFacts } from '../src/lib/processes/facts-refresher';
import { defaultSlas } from '../src/lib/processes/slas';
import { addUser } from '../src/lib/server/auth';
import { openClickHouse } from '../src/lib/server/clickhouse';
import { openConsoleDb } from '../src/lib/server/console-db';
import { startSmtpSink } from '../test/support/smtp-sink';
import { consoleDataset } from './support/console-dataset';

const { values } = parseArgs({
  options: {
    transactions: { type: 'string', default: '1000000' },
    passes: { type: 'string', default: '10' },
    mails: { type: 'string', default: '500' },
    'data-dir': { type: 'string' },
  },
});
const transactions = Math.min(Number(values.transactions), 5_000_000);
const passes = Math.min(Number(values.passes), 100);
const mails = Math.min(Number(values.mails), 5_000);
const keep = values['data-dir'] !== undefined;
const dataDir = keep ? values['data-dir']! : mkdtempSync(join(tmpdir(), 'crossdock-alerts-bench-'));

const quantile = (times: number[], q: number) => [...times].sort((a, b) => a - b)[Math.min(times.length - 1, Math.floor(q * times.length))];
const ms = (n: number) => `${n.toFixed(0)} ms`;

const dataset = await consoleDataset(dataDir, transactions, keep);
const ch = await openClickHouse({ url: undefined, database: 'crossdock', username: 'default', password: '' }, dataDir);
const smtp = await startSmtpSink();
const db = openConsoleDb(join(mkdtempSync(join(tmpdir(), 'crossdock-alerts-bench-db-')), 'console.db'));
try {
  console.log(`Alerting, embedded ClickHouse, ${cpus().length} cores, Node ${process.version}`);
  console.log(`  ${dataset.transactions.toLocaleString()} transactions, ${dataset.spans.toLocaleString()} spans over 30 days${dataset.reused ? ' (reused)' : ` loaded in ${dataset.loadSeconds.toFixed(0)} s`}`);
  const refreshStarted = performance.now();
  await refreshFacts(ch, defaultSlas);
  console.log(`  transaction facts computed in ${((performance.now() - refreshStarted) / 1000).toFixed(1)} s`);

  for (const [login, role] of [['ada', 'support'], ['bob', 'approver'], ['cleo', 'manager']] as const)
    await addUser(db, { login, role, password: 'bench-password-1', email: `${login}@bench.test` });
  const circuits = async () => [{ id: 'wms-rest', circuit: 'open' }, { id: 'wms-batch', circuit: 'closed' }, { id: 'edi-3pl', circuit: 'closed' }];
  const sources = { clickhouse: ch, circuits, openDeadLetters: () => 0, spansAccepted: () => 0 };
  const alerting = startAlerting({ db, ...sources, smtp: { url: smtp.url, from: 'bench <bench@bench.test>', tlsCa: undefined }, evaluationMs: 0, deliveryMs: 0, publicUrl: 'http://127.0.0.1:3000' });

  // Each shipped rule's measure on its own (the ClickHouse part of a pass).
  const measures = new Measures({ clickhouse: ch, circuits, openDeadLetters: () => 0, lastSpanAt: () => Date.now() });
  console.log('  per rule (median of 5):');
  for (const rule of alerting.rules.list()) {
    const times: number[] = [];
    let found = 0;
    for (let i = 0; i < 6; i++) {
      const started = performance.now();
      found = (await measures.observe(rule, new Date())).length;
      if (i > 0) times.push(performance.now() - started);
    }
    console.log(`    ${rule.id.padEnd(28)} ${ms(quantile(times, 0.5)).padStart(7)}  (${found} place${found === 1 ? '' : 's'} over threshold)`);
  }

  // Whole passes: every rule, state changes, the notifier and the outbox.
  const times: number[] = [];
  for (let i = 0; i < passes + 1; i++) {
    const started = performance.now();
    await alerting.evaluateNow();
    if (i > 0) times.push(performance.now() - started);
  }
  const firing = alerting.book.list({ state: ['firing', 'pending'] });
  console.log(`  evaluation pass (all ${alerting.rules.list().length} rules): p50 ${ms(quantile(times, 0.5))}, p95 ${ms(quantile(times, 0.95))} over ${passes} passes; ${firing.total} alerts pending or firing`);

  // Mail: enqueue `mails` notices and time the outbox emptying into the SMTP server.
  await alerting.deliverNow();
  const before = smtp.received.length;
  const message = { subject: '[FIRING · CRITICAL] bench', text: 'bench body '.repeat(200), html: `<p>${'bench body '.repeat(200)}</p>`, headers: {} };
  for (let i = 0; i < mails; i++) alerting.outbox.enqueue({ groupId: null, kind: 'firing', recipient: { login: 'ada', name: 'Ada', email: 'ada@bench.test' }, message });
  const started = performance.now();
  while (smtp.received.length < before + mails) {
    await alerting.deliverNow();
    if (performance.now() - started > 120_000) throw new Error(`only ${smtp.received.length - before} of ${mails} delivered in 120 s`);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`  outbox → SMTP (loopback, AUTH, pooled connections): ${mails} messages in ${seconds.toFixed(1)} s, ${(mails / seconds).toFixed(0)} messages/s`);
  await alerting.stop();
} finally {
  db.close();
  await smtp.close();
  await ch.close();
  if (!keep) rmSync(dataDir, { recursive: true, force: true });
}
