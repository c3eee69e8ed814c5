import { SpanKind, type Span } from '@opentelemetry/api';
import type { ServiceClass } from '../canonical/primitives';
import type { Delivery, MessageBus, Subscription } from '../bus/types';
import { categoryOf } from '../errors';
import type { ExceptionCategory } from '../taxonomy';
import { Attr } from '../../telemetry/conventions';
import { currentTraceCarrier, linkFrom } from '../../telemetry/propagation';
import { recordFailure, tracer } from '../../telemetry/spans';
import type { AttemptError, AttemptLog } from './attempt-log';
import type { DeadLetterStore } from './dead-letter-store';
import { DeliveryDeferred } from './deferral';
import type { EndpointRegistry } from './endpoint-registry';
import { decideRetry } from './retry-policy';
import type { Route } from './route';
import { serviceClassesByPriority, type ServiceClassPolicy } from './service-classes';

/** What the dispatcher works with. */
export interface DispatcherOptions {
  bus: MessageBus;
  routes: Route[];
  endpoints: EndpointRegistry;
  deadLetters: DeadLetterStore;
  attempts: AttemptLog;
  classes: Readonly<Record<ServiceClass, ServiceClassPolicy>>;
  /** How often a running handler renews its lease, in ms; well under the bus's lease. */
  heartbeatMs: number;
  /** Deliveries that ended without settling (the worker died) before the message is dead-lettered. @defaultValue 3 */
  maxCrashes?: number;
}

/**
 * How one delivery ended. `unsettled`: the worker could not record or settle it (the bus or the
 * runtime database failed under it); it comes back when its lease runs out, as after a crash.
 */
export type Outcome = 'success' | 'retry' | 'dead_letter' | 'deferred' | 'released' | 'lease_lost' | 'unsettled';

const shuttingDown = new Error('runtime shutting down');

/**
 * Runs one worker pool per service class over the bus: each class has its own subscription and
 * concurrency, so a flood of batch work never takes the slots of real-time work. Each delivery
 * is one `process <topic>` span linked to its producer, with queue wait, attempt and outcome.
 */
export class Dispatcher {
  private readonly routes: Map<string, Route>;
  private readonly subscriptions: Subscription[] = [];
  private readonly running = new Map<Delivery, { abort: AbortController; done: Promise<void> }>();
  private readonly loops: Promise<void>[] = [];
  private stopping = false;
  private readonly tally: Record<Outcome, number> = { success: 0, retry: 0, dead_letter: 0, deferred: 0, released: 0, lease_lost: 0, unsettled: 0 };

  constructor(private readonly options: DispatcherOptions) {
    this.routes = new Map(options.routes.map((r) => [r.topic, r]));
  }

  start(): void {
    for (const serviceClass of serviceClassesByPriority) {
      const subscription = this.options.bus.subscribe(serviceClass, {
        maxInFlight: this.options.classes[serviceClass].concurrency,
      });
      this.subscriptions.push(subscription);
      this.loops.push(this.pump(subscription));
    }
  }

  /** What this process's workers did since it started, by outcome (the admin API's health shows it). */
  outcomes(): Readonly<Record<Outcome, number>> {
    return { ...this.tally };
  }

  /**
   * Graceful stop: take no new work, give running handlers `graceMs` to finish, then abort the
   * rest and release their leases so another process picks them up at once.
   */
  async stop(graceMs: number): Promise<void> {
    await Promise.all(this.subscriptions.map((s) => s.stop()));
    await Promise.all(this.loops);
    const all = Promise.all([...this.running.values()].map((r) => r.done));
    const timer = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([all, timer]);
    this.stopping = true;
    for (const { abort } of this.running.values()) abort.abort(shuttingDown);
    await all;
  }

  private async pump(subscription: Subscription): Promise<void> {
    for await (const delivery of subscription) {
      const abort = new AbortController();
      const done = this.handle(delivery, abort).finally(() => this.running.delete(delivery));
      this.running.set(delivery, { abort, done });
    }
  }

  private handle(delivery: Delivery, abort: AbortController): Promise<void> {
    const { envelope } = delivery;
    return tracer().startActiveSpan(
      `process ${delivery.topic}`,
      {
        kind: SpanKind.CONSUMER,
        links: linkFrom(envelope),
        attributes: {
          'messaging.system': this.options.bus.system,
          'messaging.operation.type': 'process',
          'messaging.destination.name': delivery.topic,
          'messaging.message.id': delivery.id,
          [Attr.correlationId]: envelope.correlationid,
          [Attr.serviceClass]: envelope.serviceclass,
          [Attr.eventType]: envelope.type,
          [Attr.idempotencyKey]: envelope.idempotencykey,
          [Attr.attempt]: delivery.attempt,
          [Attr.queueWaitMs]: Math.max(0, delivery.deliveredAt - delivery.publishedAt),
        },
      },
      async (span) => {
        const beat = setInterval(() => {
          delivery.extend().then(
            (held) => held || abort.abort(new Error('lease lost')),
            () => undefined,
          );
        }, this.options.heartbeatMs);
        try {
          const outcome = await this.attempt(delivery, abort, span).catch((error: unknown): Outcome => {
            recordFailure(span, error);
            return 'unsettled';
          });
          this.tally[outcome] += 1;
          span.setAttribute(Attr.outcome, outcome);
        } finally {
          clearInterval(beat);
          span.end();
        }
      },
    );
  }

  private async attempt(delivery: Delivery, abort: AbortController, span: Span): Promise<Outcome> {
    const { attempts, deadLetters } = this.options;
    // Dead-lettered just before a crash, then redelivered: it is already in the store.
    if (deadLetters.hasMessage(delivery.id)) {
      await delivery.term();
      return 'dead_letter';
    }
    const counts = attempts.counts(delivery.id);
    const crashes = delivery.attempt - 1 - counts.failures - counts.deferrals;
    if (crashes >= (this.options.maxCrashes ?? 3)) {
      const message = `its worker stopped ${crashes} times while handling it (lease expired without an ack)`;
      return this.deadLetter(delivery, span, 'unknown', 'crashed', message);
    }
    const route = this.routes.get(delivery.topic);
    if (!route) return this.deadLetter(delivery, span, 'unknown', 'permanent', `no route handles topic "${delivery.topic}"`);
    try {
      await route.handle(delivery.envelope, {
        attempt: delivery.attempt,
        signal: abort.signal,
        idempotencyKey: delivery.envelope.idempotencykey,
        endpoint: (id) => this.options.endpoints.get(id),
      });
    } catch (error) {
      return this.failed(delivery, span, error, counts.failures + 1, abort);
    }
    const acked = await delivery.ack();
    attempts.clear(delivery.id);
    return acked ? 'success' : 'lease_lost';
  }

  private async failed(delivery: Delivery, span: Span, error: unknown, failures: number, abort: AbortController): Promise<Outcome> {
    if (this.stopping && abort.signal.reason === shuttingDown) {
      await delivery.nak(0);
      return 'released';
    }
    const at = new Date().toISOString();
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof DeliveryDeferred) {
      this.options.attempts.record(delivery.id, 'deferral', { attempt: delivery.attempt, category: error.category, message, at });
      span.setAttribute('crossdock.deferral.reason', error.reason);
      await delivery.nak(error.delayMs);
      return 'deferred';
    }
    recordFailure(span, error);
    const category = categoryOf(error);
    this.options.attempts.record(delivery.id, 'failure', { attempt: delivery.attempt, category, message, at });
    const decision = decideRetry(error, failures, this.options.classes[delivery.envelope.serviceclass].retry);
    if (decision.action === 'retry') {
      span.setAttribute('crossdock.retry.delay_ms', decision.delayMs);
      await delivery.nak(decision.delayMs);
      return 'retry';
    }
    return this.deadLetter(delivery, span, category, decision.reason);
  }

  private async deadLetter(
    delivery: Delivery,
    span: Span,
    category: ExceptionCategory,
    reason: string,
    extraError?: string,
  ): Promise<Outcome> {
    const recorded: AttemptError[] = this.options.attempts.failures(delivery.id);
    if (extraError) {
      recorded.push({ attempt: delivery.attempt, category, message: extraError, at: new Date().toISOString() });
      recordFailure(span, new Error(extraError));
    }
    const carrier = currentTraceCarrier();
    this.options.deadLetters.add({
      messageId: delivery.id,
      topic: delivery.topic,
      envelope: delivery.envelope,
      attempts: recorded,
      category,
      reason,
      traceparent: carrier.traceparent,
      tracestate: carrier.tracestate,
    });
    await delivery.term();
    this.options.attempts.clear(delivery.id);
    return 'dead_letter';
  }
}
