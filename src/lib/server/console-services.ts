import { createClassifier, type Classifier } from '../ai';
import { startAlerting, type Alerting } from '../alerts';
import { startCollector, type Collector } from '../collectors';
import type { Config } from '../config';
import { Lease } from '../lease';
import { ExceptionStore, IncidentQueue, startExceptionIntake, type ExceptionIntake } from '../exceptions';
import { allConfirmed, confirmedExamples } from '../exceptions/examples';
import { startFactsRefresher, type FactsRefresher } from '../processes/facts-refresher';
import { ProposalBook } from '../remediation';
import { addUser, listUsers, Role, setEmail } from './auth';
import { applyRetention, migrate, openClickHouse, type ClickHouse, type MigrationReport, type MigrationSource } from './clickhouse';
import { openConsoleState, type ConsoleDb } from './console-db';
import { RuntimeAdminClient } from './runtime-admin';

/** What the console process holds for its lifetime. */
export interface ConsoleServices {
  readonly config: Config;
  readonly clickhouse: ClickHouse;
  readonly collector: Collector;
  /** People, sessions and API tokens. */
  readonly db: ConsoleDb;
  /** Keeps `transaction_facts_v1` current for the process pages. */
  readonly facts: FactsRefresher;
  readonly migrations: MigrationReport & { sources: MigrationSource[] };
  /** The triage queue, fed by the intake from failed spans, dead letters, open circuits and SLA breaches. */
  readonly exceptions: { store: ExceptionStore; queue: IncidentQueue; intake: ExceptionIntake };
  readonly classifier: Classifier;
  readonly proposals: ProposalBook;
  /** Reads dead letters and carries out approved remediations. */
  readonly runtime: RuntimeAdminClient;
  /** Rules, alert state, silences, on-call and the alert email outbox. */
  readonly alerts: Alerting;
  /** Whether this replica runs the background passes (exception intake, alert evaluation, mail). */
  readonly duties: Lease;
  readonly startedAt: Date;
}

let current: Promise<ConsoleServices> | undefined;

/**
 * Opens ClickHouse, applies pending migrations and the span retention, and starts the OTLP
 * collector, once per process. The console process is the only one that opens the embedded
 * ClickHouse, so everything in it shares this one client.
 */
export function startConsoleServices(config: Config, migrations: MigrationSource[]): Promise<ConsoleServices> {
  current ??= (async () => {
    const clickhouse = await openClickHouse(config.clickhouse, config.paths.dataDir);
    const db = openConsoleState(config);
    try {
      if (config.console.demo) await seedDemoUsers(db);
      const report = await migrate(clickhouse, migrations);
      await applyRetention(clickhouse, config.telemetry.retentionDays);
      const collector = await startCollector(
        {
          host: config.console.host,
          port: config.console.collectorPort,
          maxBodyBytes: config.telemetry.maxBodyBytes,
          buffer: { maxSpans: config.telemetry.bufferSpans },
        },
        { client: clickhouse.client },
      );
      const facts = startFactsRefresher(clickhouse, config.processes.slas, {
        onError: (error) => console.error(`console   transaction facts refresh failed (retrying): ${error.message}`),
      });
      // Replicas sharing a PostgreSQL take turns at the background passes: one holds the lease.
      const duties = new Lease(db, { name: 'console-duties', ttlMs: 15_000 }).start();
      const active = () => duties.held;
      const queue = new IncidentQueue(db);
      const store = new ExceptionStore(db);
      const runtime = new RuntimeAdminClient(config.runtime);
      const classifier = createClassifier(config.llm, { examples: confirmedExamples(queue) });
      for (const example of allConfirmed(queue)) classifier.learn(example);
      const intake = startExceptionIntake({
        clickhouse, runtime, store, queue, classifier,
        intervalMs: config.console.exceptionIntakeMs,
        active,
        onError: (source, error) => console.error(`console   exception intake (${source}) failed (retrying): ${error.message}`),
      });
      const proposals = new ProposalBook(db, queue, config.console.proposalTtlMs);
      const alerts = startAlerting({
        db,
        clickhouse,
        circuits: () => runtime.endpoints(),
        openDeadLetters: () => store.openCount('dead_letter'),
        spansAccepted: () => collector.stats().acceptedSpans,
        smtp: config.smtp,
        evaluationMs: config.console.alertEvaluationMs,
        publicUrl: config.console.publicUrl,
        linkSecret: config.console.alertLinkSecret,
        active,
        onError: (source, error) => console.error(`console   alerting (${source}) failed (retrying): ${error.message}`),
      });
      return {
        config, clickhouse, collector, db, facts, migrations: { ...report, sources: migrations },
        exceptions: { store, queue, intake }, classifier, proposals, runtime, alerts, duties, startedAt: new Date(),
      };
    } catch (error) {
      db.close();
      await clickhouse.close();
      throw error;
    }
  })();
  current.catch(() => (current = undefined));
  return current;
}

/** The running services; throws when the console has not started them. */
export function consoleServices(): Promise<ConsoleServices> {
  if (!current) throw new Error('console services are not started');
  return current;
}

/** Stops the collector (writing every accepted span), then closes ClickHouse. Safe to call twice. */
export async function stopConsoleServices(): Promise<void> {
  const services = current;
  current = undefined;
  if (!services) return;
  const { collector, clickhouse, db, facts, exceptions, alerts, duties } = await services;
  await alerts.stop();
  await exceptions.intake.stop();
  duties.stop();
  await collector.stop();
  await facts.stop();
  await clickhouse.close();
  db.close();
}

/** The password of every demo user; demo mode only, printed by `crossdock start`. */
export const DEMO_PASSWORD = 'crossdock-demo';

// One demo user per role, named after it, with an address at the demo domain so alert email
// reaches the SMTP catcher; an older demo data directory gets the addresses it lacks.
async function seedDemoUsers(db: ConsoleDb) {
  const existing = new Map(listUsers(db).map((user) => [user.login, user]));
  if (existing.size === 0) {
    for (const role of Role.options) await addUser(db, { login: role, name: `Demo ${role}`, role, password: DEMO_PASSWORD, email: demoEmail(role) });
    return;
  }
  for (const role of Role.options) if (existing.get(role)?.email === null) setEmail(db, role, demoEmail(role), 'crossdock');
}

const demoEmail = (login: string) => `${login}@crossdock.demo`;
