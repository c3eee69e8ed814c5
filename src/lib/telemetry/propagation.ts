import { context, propagation, trace, type Context, type Link } from '@opentelemetry/api';

/**
 * Trace context as carried by an envelope: the CloudEvents distributed-tracing extension's
 * `traceparent` and `tracestate` attributes (W3C Trace Context values).
 */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

/** The active span's context as envelope attributes, for a producer to stamp on what it sends. */
export function currentTraceCarrier(ctx: Context = context.active()): TraceCarrier {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return { traceparent: carrier.traceparent, tracestate: carrier.tracestate };
}

/**
 * A span link to the producer of an envelope. A consumer starts its own trace (one business
 * transaction spans many traces over hours) and links back to the producer rather than
 * becoming its child; the correlation ID ties them together for the console.
 */
export function linkFrom(carrier: TraceCarrier): Link[] {
  if (!carrier.traceparent) return [];
  const extracted = propagation.extract(context.active(), {
    traceparent: carrier.traceparent,
    ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
  });
  const spanContext = trace.getSpanContext(extracted);
  return spanContext ? [{ context: spanContext }] : [];
}
