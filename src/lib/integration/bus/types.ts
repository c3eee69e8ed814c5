import type { EventEnvelope } from '../canonical/envelope';
import type { ServiceClass } from '../canonical/primitives';

/**
 * A destination on the bus: the route a message travels (`order-release`, `wms-rest.outbound`).
 * Lower-case letters, digits, `-`, `_` and inner dots, so it is also a valid NATS subject tail.
 */
export type Topic = string;

/** Why a topic name is refused; `undefined` when it is fine. */
export function topicProblem(topic: string): string | undefined {
  return /^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$/.test(topic)
    ? undefined
    : `topic "${topic}" must be lower-case letters, digits, - and _, in dot-separated parts`;
}

/** Options for one publish. */
export interface PublishOptions {
  /**
   * Messages sharing an ordering key are handed out one at a time, in publish order: the next
   * is not delivered until the previous one is acknowledged or dead-lettered. Only adapters with
   * `capabilities.orderingKeys` honour it.
   */
  orderingKey?: string;
}

/** What a publish did. */
export interface PublishResult {
  /** True when a message with the same envelope id was already published within the dedup window. */
  duplicate: boolean;
}

/**
 * One delivery of one message to one worker, under a lease. Exactly one of `ack`, `nak`,
 * `term` settles it; until then the message is invisible to other workers while the lease lasts,
 * and `extend` keeps the lease alive for long work.
 */
export interface Delivery {
  /** The message id: the envelope id given at publish. */
  readonly id: string;
  readonly topic: Topic;
  readonly envelope: EventEnvelope;
  /** 1 for the first delivery; a redelivery after a crash or a `nak` counts up. */
  readonly attempt: number;
  /** Epoch ms when the message was first published. */
  readonly publishedAt: number;
  /** Epoch ms when this delivery was handed to the worker. */
  readonly deliveredAt: number;
  /** Done: the message is removed. Resolves false when the lease was lost meanwhile (another worker may own it). */
  ack(): Promise<boolean>;
  /** Not now: deliver again, to any worker, after `delayMs` (0 = as soon as possible). */
  nak(delayMs: number): Promise<void>;
  /** Never again: drop without redelivery (the caller has dead-lettered it). */
  term(): Promise<void>;
  /** Heartbeat: renews the lease. Resolves false when the lease is already lost. */
  extend(): Promise<boolean>;
}

/** A stream of deliveries for one service class, bounded by `maxInFlight` unsettled ones. */
export interface Subscription extends AsyncIterable<Delivery> {
  /** Stops taking new messages; deliveries fetched but not yet handed out are released. */
  stop(): Promise<void>;
}

/** Options for a subscription. */
export interface SubscribeOptions {
  /** Unsettled deliveries this subscriber holds at most; the class's concurrency. */
  maxInFlight: number;
}

/** Backlog of one service class. */
export interface QueueStats {
  serviceClass: ServiceClass;
  /** Messages not yet acknowledged, including those in flight and those waiting for a retry. */
  depth: number;
  /** Age in ms of the oldest unacknowledged message; 0 when the queue is empty. */
  oldestAgeMs: number;
}

/** What an adapter can promise beyond the common contract. */
export interface BusCapabilities {
  /** Honours `PublishOptions.orderingKey`. */
  orderingKeys: boolean;
  /** `ack` after the lease was taken over resolves false instead of acknowledging. */
  fencedAck: boolean;
}

/**
 * The durable message bus the runtime's flows talk to. At-least-once: a published message is
 * delivered until a worker acknowledges or terminates it; a worker that dies mid-work loses its
 * lease and the message is redelivered with a higher `attempt`.
 */
export interface MessageBus {
  /** `sqlite` or `jetstream`, for health output and the `messaging.system` span attribute. */
  readonly system: string;
  readonly capabilities: BusCapabilities;
  /** Durably enqueues `envelope` on `topic` in the envelope's service class; resolves once stored. */
  publish(topic: Topic, envelope: EventEnvelope, options?: PublishOptions): Promise<PublishResult>;
  subscribe(serviceClass: ServiceClass, options: SubscribeOptions): Subscription;
  stats(): Promise<QueueStats[]>;
  /** Stops every subscription and releases the connection. */
  close(): Promise<void>;
}
