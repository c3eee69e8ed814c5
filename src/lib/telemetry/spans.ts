import { SpanStatusCode, trace, type Attributes, type Span, type SpanOptions } from '@opentelemetry/api';
import { categoryOf, IntegrationError } from '../integration/errors';
import { Attr } from './conventions';

/** The tracer for Crossdock's own code; the SDK behind it is set up once per process, elsewhere. */
export const tracer = () => trace.getTracer('crossdock', '0.1.0');

/**
 * Records a failure on a span the way the console reads it: an `exception` event with
 * `exception.*`, the taxonomy category, and an error status.
 */
export function recordFailure(span: Span, error: unknown): void {
  const category = categoryOf(error);
  const exception = error instanceof Error ? error : new Error(String(error));
  span.recordException(exception);
  span.setAttribute(Attr.exceptionCategory, category);
  span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
  if (error instanceof IntegrationError) span.setAttribute('error.type', error.name);
}

/**
 * Runs `work` inside an active span named `name`, ending it when the work settles and recording
 * a failure (then rethrowing) when it throws. Telemetry never changes the work's outcome.
 */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
  options: SpanOptions = {},
): Promise<T> {
  return tracer().startActiveSpan(name, { ...options, attributes: { ...options.attributes, ...attributes } }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Records a problem found by looking rather than by failing work (a message no decoder could read,
 * an acknowledgement overdue): one finished span with the failure recorded the way the console reads it.
 */
export function recordExceptionSpan(name: string, attributes: Attributes, error: unknown): void {
  const span = tracer().startSpan(name, { attributes });
  recordFailure(span, error);
  span.end();
}
