import type { Classifier } from '../../ai';
import type { ClickHouse } from '../../server/clickhouse';
import type { RuntimeAdminClient } from '../../server/runtime-admin';
import { ProblemReporter, startPeriodic } from '../../periodic';
import { classifierInputOf } from '../examples';
import type { ExceptionStore } from '../exception-store';
import type { IncidentQueue } from '../incident-queue';
import { CircuitIntake } from './circuit-intake';
import { DeadLetterIntake } from './dead-letter-intake';
import { SlaIntake } from './sla-intake';
import { SpanIntake } from './span-intake';

const SLA_EVERY_MS = 30_000;

export interface ExceptionIntake {
  /** One pass over every source, then classification of the incidents it opened. Passes never overlap. */
  runOnce(): Promise<{ newIncidents: number }>;
  stop(): Promise<void>;
}

export interface IntakeOptions {
  clickhouse: ClickHouse;
  runtime: RuntimeAdminClient;
  store: ExceptionStore;
  queue: IncidentQueue;
  classifier: Classifier;
  /** Between passes; 0 runs passes only on `runOnce`. */
  intervalMs: number;
  /** Whether this replica runs the timed passes now (it holds the console's duties lease). @defaultValue always */
  active?: () => boolean;
  onError?: (source: string, error: Error) => void;
}

/**
 * Gathers exceptions from every source of trouble (failed spans, the runtime's dead letters and
 * open circuits, SLA breaches) into the queue and classifies each new incident once. A source that fails (the
 * runtime down) is reported and retried next pass; the others still run.
 */
export function startExceptionIntake(options: IntakeOptions): ExceptionIntake {
  // SLA breaches are judged over every open transaction (a few hundred ms at a million), and a
  // step's target is minutes: they are read every 30 s at most, the cheap sources every pass.
  const sla = new SlaIntake(options.clickhouse, options.store);
  let slaDueAt = 0;
  const sources = {
    spans: new SpanIntake(options.clickhouse, options.store),
    deadLetters: new DeadLetterIntake(options.runtime, options.store),
    circuits: new CircuitIntake(options.runtime, options.store),
    sla: {
      async pass() {
        if (Date.now() < slaDueAt) return { newIncidents: [] };
        slaDueAt = Date.now() + SLA_EVERY_MS;
        return sla.pass();
      },
    },
  };
  const problems = new ProblemReporter(options.onError);

  async function pass(): Promise<{ newIncidents: number }> {
    const opened: number[] = [];
    for (const [name, source] of Object.entries(sources)) {
      try {
        opened.push(...(await source.pass()).newIncidents);
        problems.clear(name);
      } catch (error) {
        problems.report(name, error as Error);
      }
    }
    await classifyPending(options);
    return { newIncidents: opened.length };
  }

  return startPeriodic(pass, { intervalMs: options.intervalMs, whenBusy: 'join', idle: () => ({ newIncidents: 0 }), active: options.active });
}

/** Incidents not classified yet (new ones, or ones a failed pass left), a bounded number per pass. */
async function classifyPending(options: IntakeOptions, limit = 200) {
  for (const incident of options.queue.unclassified(limit)) {
    try {
      // Stored as the page shows it: setClassification keeps the classification, not its token usage.
      const result = await options.classifier.classify(classifierInputOf(incident, options.queue.members(incident.id, { limit: 1 })[0]));
      options.queue.setClassification(incident.id, result);
    } catch (error) {
      options.onError?.('classifier', error as Error);
    }
  }
}
