import { randomBytes } from 'node:crypto';
import type { SpanRow } from '../../src/lib/collectors';

/**
 * A span row as the collector writes it, for tests that load ClickHouse directly. `at` is when
 * the span ended (milestones are reached at span end); it lasted `durationMs`.
 */
export function aSpanRow(options: {
  correlationId: string;
  process?: string;
  milestone?: string;
  at: Date;
  durationMs?: number;
  warehouse?: string;
  serviceClass?: string;
  error?: boolean;
  outcome?: string;
  category?: string;
  name?: string;
  traceId?: string;
  endpoint?: string;
}): SpanRow {
  const durationNs = BigInt(options.durationMs ?? 10) * 1_000_000n;
  const end = BigInt(options.at.getTime()) * 1_000_000n;
  const attributes: Record<string, string> = { 'correlation.id': options.correlationId };
  if (options.process) attributes['process.name'] = options.process;
  if (options.milestone) attributes['process.milestone'] = options.milestone;
  if (options.warehouse) attributes['warehouse.id'] = options.warehouse;
  if (options.serviceClass) attributes['service.class'] = options.serviceClass;
  if (options.outcome) attributes['crossdock.outcome'] = options.outcome;
  if (options.category) attributes['crossdock.exception.category'] = options.category;
  if (options.endpoint) attributes['crossdock.endpoint.id'] = options.endpoint;
  return {
    Timestamp: (end - durationNs).toString(),
    TraceId: options.traceId ?? randomBytes(16).toString('hex'),
    SpanId: randomBytes(8).toString('hex'),
    ParentSpanId: '',
    TraceState: '',
    SpanName: options.name ?? (options.milestone ? `milestone ${options.milestone}` : 'step'),
    SpanKind: 'Internal',
    ServiceName: 'crossdock-runtime',
    ResourceAttributes: { 'service.name': 'crossdock-runtime' },
    ScopeName: 'crossdock',
    ScopeVersion: '0.1.0',
    SpanAttributes: attributes,
    Duration: durationNs.toString(),
    StatusCode: options.error ? 'Error' : 'Unset',
    StatusMessage: '',
    'Events.Timestamp': [],
    'Events.Name': [],
    'Events.Attributes': [],
    'Links.TraceId': [],
    'Links.SpanId': [],
    'Links.TraceState': [],
    'Links.Attributes': [],
  };
}
