import { z } from 'zod';
import { Identifier, ServiceClass, Timestamp } from './primitives';

/** A versioned Crossdock event type: `crossdock.<entity>.<happening>.v<N>`. */
export const EventType = z
  .string()
  .regex(
    /^crossdock(\.[a-z][a-z0-9_]*)+\.v[1-9]\d*$/,
    'must look like crossdock.<entity>.<happening>.v<N>, e.g. crossdock.order.released.v1',
  );

/**
 * The envelope every message travels in: a CloudEvents 1.0 event in structured JSON mode, with
 * Crossdock's extension attributes (lower-case, as CloudEvents requires):
 * - `correlationid`: the business key (order name, inventory batch, RMA) that ties every trace
 *   of one transaction together;
 * - `causationid`: the id of the event that caused this one;
 * - `idempotencykey`: repeating a message with the same key has no second effect;
 * - `serviceclass`: realtime, standard or batch;
 * - `traceparent`/`tracestate`: the producer's trace context, so the consumer can link to it.
 */
export const EventEnvelope = z.object({
  specversion: z.literal('1.0', { error: 'must be "1.0" (CloudEvents 1.0)' }),
  id: z.string().min(1, 'must not be empty'),
  source: z.string().min(1, 'must not be empty'),
  type: EventType,
  time: Timestamp,
  subject: z.string().min(1).optional(),
  datacontenttype: z.literal('application/json').default('application/json'),
  dataschema: z.string().regex(/^[a-z][a-z0-9+.-]*:\S+$/, 'must be an absolute URI').optional(),
  correlationid: Identifier,
  causationid: z.string().min(1).optional(),
  idempotencykey: z.string().min(1, 'must not be empty').max(256),
  serviceclass: ServiceClass,
  /** W3C trace context of the producer (CloudEvents distributed-tracing extension). */
  traceparent: z.string().regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, 'must be a W3C traceparent').optional(),
  tracestate: z.string().optional(),
  data: z.unknown(),
});
export type EventEnvelope = z.output<typeof EventEnvelope>;

/** An envelope whose `data` has been validated against its event type's schema. */
export type TypedEnvelope<T> = Omit<EventEnvelope, 'data'> & { data: T };
