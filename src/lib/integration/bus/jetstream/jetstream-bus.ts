import {
  AckPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { EventEnvelope } from '../../canonical/envelope';
import type { ServiceClass } from '../../canonical/primitives';
import {
  topicProblem,
  type BusCapabilities,
  type MessageBus,
  type PublishResult,
  type QueueStats,
  type SubscribeOptions,
  type Subscription,
} from '../types';
import { JetStreamSubscription } from './jetstream-subscription';

/** Options for the JetStream bus. */
export interface JetStreamBusOptions {
  /** `nats://host:port`. */
  url: string;
  /** Stream name; several runtimes sharing one stream share the work. @defaultValue `CROSSDOCK` */
  stream?: string;
  /** First subject token; subjects are `<prefix>.<class>.<topic>`. @defaultValue `crossdock` */
  subjectPrefix?: string;
  /** Ack wait: how long a delivery stays leased without a heartbeat, in ms. @defaultValue 30000 */
  leaseMs?: number;
  /** Publish de-duplication window (`Nats-Msg-Id`), in ms. @defaultValue 120000 */
  dedupWindowMs?: number;
  /**
   * Server-side cap on deliveries per message. The delivery layer dead-letters before this is
   * reached; it is a backstop against a message that crashes every worker. @defaultValue 50
   */
  maxDeliver?: number;
}

const classes: ServiceClass[] = ['realtime', 'standard', 'batch'];
const ms = (n: number) => n * 1_000_000;

/**
 * The scale-out bus on NATS JetStream: one work-queue stream, one durable pull consumer per
 * service class (shared by every runtime process), explicit acks, `nak` with delay for backoff,
 * `max_deliver`, and publish de-duplication by message id.
 */
export class JetStreamBus implements MessageBus {
  readonly system = 'jetstream';
  readonly capabilities: BusCapabilities = { orderingKeys: false, fencedAck: false };
  private readonly subscriptions = new Set<Subscription>();

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    readonly stream: string,
    private readonly prefix: string,
  ) {}

  /** Connects and makes sure the stream and the three durable consumers exist. */
  static async connect(options: JetStreamBusOptions): Promise<JetStreamBus> {
    const stream = options.stream ?? 'CROSSDOCK';
    const prefix = options.subjectPrefix ?? 'crossdock';
    const nc = await connect({ servers: options.url.replace(/^nats:\/\//, ''), name: 'crossdock-runtime' });
    try {
      const jsm = await jetstreamManager(nc);
      const streamConfig = {
        name: stream,
        subjects: [`${prefix}.>`],
        // Work-queue retention deletes a message once acked, so the stream is the backlog.
        retention: RetentionPolicy.Workqueue,
        storage: StorageType.File,
        duplicate_window: ms(options.dedupWindowMs ?? 120_000),
        allow_direct: true,
      };
      await jsm.streams.add(streamConfig).catch(() => jsm.streams.update(stream, streamConfig));
      for (const cls of classes) {
        const consumer = {
          durable_name: `${prefix}-${cls}`,
          filter_subject: `${prefix}.${cls}.>`,
          ack_policy: AckPolicy.Explicit,
          ack_wait: ms(options.leaseMs ?? 30_000),
          max_deliver: options.maxDeliver ?? 50,
          max_ack_pending: 10_000,
        };
        await jsm.consumers.add(stream, consumer).catch(() => jsm.consumers.update(stream, consumer.durable_name, consumer));
      }
      return new JetStreamBus(nc, jetstream(nc), jsm, stream, prefix);
    } catch (error) {
      await nc.close();
      throw error;
    }
  }

  async publish(topic: string, envelope: EventEnvelope): Promise<PublishResult> {
    const problem = topicProblem(topic);
    if (problem) throw new TypeError(problem);
    const ack = await this.js.publish(`${this.prefix}.${envelope.serviceclass}.${topic}`, JSON.stringify(envelope), {
      msgID: envelope.id,
    });
    return { duplicate: ack.duplicate };
  }

  subscribe(serviceClass: ServiceClass, options: SubscribeOptions): Subscription {
    const head = `${this.prefix}.${serviceClass}.`;
    const subscription: Subscription = new JetStreamSubscription(
      this.js.consumers.get(this.stream, `${this.prefix}-${serviceClass}`),
      (subject) => subject.slice(head.length),
      options.maxInFlight,
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async stats(): Promise<QueueStats[]> {
    const now = Date.now();
    return Promise.all(
      classes.map(async (serviceClass) => {
        const info = await this.jsm.consumers.info(this.stream, `${this.prefix}-${serviceClass}`);
        const depth = info.num_pending + info.num_ack_pending;
        if (depth === 0) return { serviceClass, depth, oldestAgeMs: 0 };
        // Acked messages leave a work-queue stream, so the first one left on the class's subjects is the oldest.
        const oldest = await this.jsm.direct.getMessage(this.stream, {
          seq: 1,
          next_by_subj: `${this.prefix}.${serviceClass}.>`,
        });
        return { serviceClass, depth, oldestAgeMs: oldest ? Math.max(0, now - oldest.time.getTime()) : 0 };
      }),
    );
  }

  /** Deletes the stream and its consumers: for tests and benchmarks that made their own. */
  async destroy(): Promise<void> {
    await this.jsm.streams.delete(this.stream);
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    if (!this.nc.isClosed()) await this.nc.drain();
  }
}
