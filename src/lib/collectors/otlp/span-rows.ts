/**
 * Maps OTLP spans to rows of `otel_traces` exactly as the OpenTelemetry Collector's ClickHouse
 * exporter writes them: lowercase hex ids ('' when absent), start time in `Timestamp`, `Duration`
 * in nanoseconds, every attribute value stringified (ints in decimal, bools as true/false,
 * arrays and maps as JSON), and the current enum spellings (`Server`, `Error`).
 *
 * One mapper serves both wire formats: protobuf gives ids as bytes and 64-bit integers as Long,
 * JSON gives hex strings and decimal strings; the small converters below accept either.
 */

/** A row of `otel_traces`, keyed by the exporter's INSERT column names. */
export interface SpanRow {
  Timestamp: string;
  TraceId: string;
  SpanId: string;
  ParentSpanId: string;
  TraceState: string;
  SpanName: string;
  SpanKind: string;
  ServiceName: string;
  ResourceAttributes: Record<string, string>;
  ScopeName: string;
  ScopeVersion: string;
  SpanAttributes: Record<string, string>;
  Duration: string;
  StatusCode: string;
  StatusMessage: string;
  'Events.Timestamp': string[];
  'Events.Name': string[];
  'Events.Attributes': Record<string, string>[];
  'Links.TraceId': string[];
  'Links.SpanId': string[];
  'Links.TraceState': string[];
  'Links.Attributes': Record<string, string>[];
}

/** A 64-bit integer as protobufjs (Long), JSON (string) or a lenient JSON writer (number) gives it. */
type Int64 = { toString(): string } | string | number;
type Bytes = Uint8Array | string;

export interface OtlpAnyValue {
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: Int64 | null;
  doubleValue?: number | string | null;
  arrayValue?: { values?: OtlpAnyValue[] | null } | null;
  kvlistValue?: { values?: OtlpKeyValue[] | null } | null;
  bytesValue?: Bytes | null;
}
export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue | null;
}
export interface OtlpSpan {
  traceId?: Bytes | null;
  spanId?: Bytes | null;
  traceState?: string | null;
  parentSpanId?: Bytes | null;
  name?: string | null;
  kind?: number | string | null;
  startTimeUnixNano?: Int64 | null;
  endTimeUnixNano?: Int64 | null;
  attributes?: OtlpKeyValue[] | null;
  events?: { timeUnixNano?: Int64 | null; name?: string | null; attributes?: OtlpKeyValue[] | null }[] | null;
  links?: { traceId?: Bytes | null; spanId?: Bytes | null; traceState?: string | null; attributes?: OtlpKeyValue[] | null }[] | null;
  status?: { code?: number | string | null; message?: string | null } | null;
}
export interface OtlpTraceRequest {
  resourceSpans?:
    | {
        resource?: { attributes?: OtlpKeyValue[] | null } | null;
        scopeSpans?: { scope?: { name?: string | null; version?: string | null } | null; spans?: OtlpSpan[] | null }[] | null;
      }[]
    | null;
}

export interface MappedSpans {
  rows: SpanRow[];
  /** Spans refused (bad ids or times); reported back as `partial_success`. */
  rejected: number;
  /** The first reason a span was refused, for the partial-success message. */
  firstError?: string;
}

/** SpanKind numbers to the exporter's current spelling. */
export const KINDS = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];
const KIND_NAMES: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
/** Status codes to the exporter's current spelling. */
export const STATUSES = ['Unset', 'Ok', 'Error'];
const STATUS_NAMES: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

/** Thrown while mapping one span to refuse it (counted in `partial_success`), not the request. */
export class SpanRejected extends Error {}

/** Maps every span of an export request; refuses individual spans, never the whole request. */
export function mapSpans(request: OtlpTraceRequest): MappedSpans {
  const rows: SpanRow[] = [];
  let rejected = 0;
  let firstError: string | undefined;
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    const serviceName = resource['service.name'] ?? '';
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      const scopeName = scopeSpans.scope?.name ?? '';
      const scopeVersion = scopeSpans.scope?.version ?? '';
      for (const span of scopeSpans.spans ?? []) {
        try {
          rows.push(toRow(span, resource, serviceName, scopeName, scopeVersion));
        } catch (error) {
          if (!(error instanceof SpanRejected)) throw error;
          rejected++;
          firstError ??= error.message;
        }
      }
    }
  }
  return { rows, rejected, firstError };
}

function toRow(span: OtlpSpan, resource: Record<string, string>, serviceName: string, scopeName: string, scopeVersion: string): SpanRow {
  const traceId = id(span.traceId, 16, 'traceId', true);
  const spanId = id(span.spanId, 8, 'spanId', true);
  const start = nanos(span.startTimeUnixNano, 'startTimeUnixNano');
  const end = nanos(span.endTimeUnixNano, 'endTimeUnixNano');
  const events = span.events ?? [];
  const links = span.links ?? [];
  return {
    Timestamp: start.toString(),
    TraceId: traceId,
    SpanId: spanId,
    ParentSpanId: id(span.parentSpanId, 8, 'parentSpanId', false),
    TraceState: span.traceState ?? '',
    SpanName: span.name ?? '',
    SpanKind: KINDS[enumValue(span.kind, KIND_NAMES)] ?? 'Unspecified',
    ServiceName: serviceName,
    ResourceAttributes: resource,
    ScopeName: scopeName,
    ScopeVersion: scopeVersion,
    SpanAttributes: attributesOf(span.attributes),
    // A span that ends before it starts is clamped to zero, as the exporter's unsigned column would wrap.
    Duration: (end > start ? end - start : 0n).toString(),
    StatusCode: STATUSES[enumValue(span.status?.code, STATUS_NAMES)] ?? 'Unset',
    StatusMessage: span.status?.message ?? '',
    'Events.Timestamp': events.map((e) => nanos(e.timeUnixNano, 'events.timeUnixNano').toString()),
    'Events.Name': events.map((e) => e.name ?? ''),
    'Events.Attributes': events.map((e) => attributesOf(e.attributes)),
    'Links.TraceId': links.map((l) => id(l.traceId, 16, 'links.traceId', true)),
    'Links.SpanId': links.map((l) => id(l.spanId, 8, 'links.spanId', true)),
    'Links.TraceState': links.map((l) => l.traceState ?? ''),
    'Links.Attributes': links.map((l) => attributesOf(l.attributes)),
  };
}

const HEX = /^[0-9a-fA-F]*$/;

function id(value: Bytes | null | undefined, bytes: number, field: string, required: boolean): string {
  let hex: string;
  if (value == null) hex = '';
  else if (typeof value === 'string') {
    if (!HEX.test(value)) throw new SpanRejected(`${field} must be hex`);
    hex = value.toLowerCase();
  } else hex = (Buffer.isBuffer(value) ? value : Buffer.from(value)).toString('hex'); // protobufjs defaults bytes to []
  if (hex === '' && !required) return '';
  if (hex.length !== bytes * 2) throw new SpanRejected(`${field} must be ${bytes} bytes, got ${hex.length / 2}`);
  if (/^0+$/.test(hex)) {
    if (required) throw new SpanRejected(`${field} must not be all zeros`);
    return '';
  }
  return hex;
}

function nanos(value: Int64 | null | undefined, field: string): bigint {
  if (value == null) return 0n;
  const text = value.toString();
  if (!/^\d{1,20}$/.test(text)) throw new SpanRejected(`${field} must be an unsigned integer`);
  return BigInt(text);
}

function enumValue(value: number | string | null | undefined, names: Record<string, number>): number {
  if (value == null) return 0;
  if (typeof value === 'number') return value;
  return names[value] ?? (/^\d+$/.test(value) ? Number(value) : 0);
}

function attributesOf(list: OtlpKeyValue[] | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (list) for (const kv of list) out[kv.key] = stringify(kv.value);
  return out;
}

type ValueField = 'stringValue' | 'boolValue' | 'intValue' | 'doubleValue' | 'arrayValue' | 'kvlistValue' | 'bytesValue';
const VALUE_FIELDS: ValueField[] = ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'];

// protobufjs puts proto3 defaults on the prototype (every AnyValue "has" stringValue ''), and
// names the member that is set in the virtual oneof field `value`; JSON has only the member set.
function fieldOf(value: OtlpAnyValue): ValueField | undefined {
  const member = (value as { value?: unknown }).value;
  if (typeof member === 'string') return member as ValueField;
  return VALUE_FIELDS.find((f) => value[f] != null);
}

/** The exporter's `AsString()`: scalars as text, arrays and maps as JSON. */
export function stringify(value: OtlpAnyValue | null | undefined): string {
  if (!value) return '';
  switch (fieldOf(value)) {
    case 'stringValue':
      return value.stringValue!;
    case 'boolValue':
      return value.boolValue ? 'true' : 'false';
    case 'intValue':
      return value.intValue!.toString();
    case 'doubleValue':
      return String(Number(value.doubleValue));
    case 'bytesValue':
      return typeof value.bytesValue === 'string' ? value.bytesValue : Buffer.from(value.bytesValue!).toString('base64');
    case 'arrayValue':
      return JSON.stringify((value.arrayValue!.values ?? []).map(plain));
    case 'kvlistValue':
      return JSON.stringify(plainMap(value.kvlistValue!.values));
    default:
      return '';
  }
}

function plain(value: OtlpAnyValue | null | undefined): unknown {
  if (!value) return null;
  switch (fieldOf(value)) {
    case 'boolValue':
      return Boolean(value.boolValue);
    case 'intValue':
      return Number(value.intValue!.toString());
    case 'doubleValue':
      return Number(value.doubleValue);
    case 'arrayValue':
      return (value.arrayValue!.values ?? []).map(plain);
    case 'kvlistValue':
      return plainMap(value.kvlistValue!.values);
    default:
      return stringify(value);
  }
}

function plainMap(list: OtlpKeyValue[] | null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list ?? []) out[kv.key] = plain(kv.value);
  return out;
}
