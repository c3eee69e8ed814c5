import { I64, LEN, Reader, VARINT, ProtobufError } from './protobuf-reader';
import { KINDS, SpanRejected, STATUSES, stringify, type MappedSpans, type OtlpAnyValue, type OtlpKeyValue, type SpanRow } from './span-rows';

export { ProtobufError } from './protobuf-reader';

/**
 * Decodes an OTLP `ExportTraceServiceRequest` straight from protobuf bytes into `otel_traces`
 * rows, with the same rules as `mapSpans` (which serves JSON). protobufjs decodes the same
 * bytes correctly but builds a message object per field, with Long instances for every
 * timestamp; on this hot path that cost 12 µs of CPU per span against about 4 here, which
 * decides whether two cores keep up with ClickHouse (bench/ingest.ts). Field numbers are those
 * of opentelemetry-proto v1.9; unknown fields are skipped, as proto3 requires.
 */
export function decodeProtobufSpans(body: Buffer): MappedSpans {
  const reader = new Reader(body);
  const rows: SpanRow[] = [];
  const state = { rejected: 0, firstError: undefined as string | undefined };
  while (reader.more(body.length)) {
    const [field, wire] = reader.tag();
    if (field === 1 && wire === LEN) {
      const end = reader.lengthEnd();
      decodeResourceSpans(reader, end, rows, state);
      reader.pos = end;
    } else reader.skip(wire);
  }
  return { rows, rejected: state.rejected, firstError: state.firstError };
}

type State = { rejected: number; firstError: string | undefined };

function decodeResourceSpans(reader: Reader, end: number, rows: SpanRow[], state: State) {
  // The resource may follow its spans on the wire; find it first.
  const start = reader.pos;
  let resource: Record<string, string> = {};
  while (reader.more(end)) {
    const [field, wire] = reader.tag();
    if (field === 1 && wire === LEN) {
      const resourceEnd = reader.lengthEnd();
      resource = attributesUntil(reader, resourceEnd, 1);
      reader.pos = resourceEnd;
    } else reader.skip(wire);
  }
  const serviceName = resource['service.name'] ?? '';
  reader.pos = start;
  while (reader.more(end)) {
    const [field, wire] = reader.tag();
    if (field === 2 && wire === LEN) {
      const scopeEnd = reader.lengthEnd();
      decodeScopeSpans(reader, scopeEnd, resource, serviceName, rows, state);
      reader.pos = scopeEnd;
    } else reader.skip(wire);
  }
}

function decodeScopeSpans(reader: Reader, end: number, resource: Record<string, string>, serviceName: string, rows: SpanRow[], state: State) {
  const start = reader.pos;
  let scopeName = '';
  let scopeVersion = '';
  while (reader.more(end)) {
    const [field, wire] = reader.tag();
    if (field === 1 && wire === LEN) {
      const scopeEnd = reader.lengthEnd();
      while (reader.more(scopeEnd)) {
        const [f, w] = reader.tag();
        if (f === 1 && w === LEN) scopeName = reader.string();
        else if (f === 2 && w === LEN) scopeVersion = reader.string();
        else reader.skip(w);
      }
    } else reader.skip(wire);
  }
  reader.pos = start;
  while (reader.more(end)) {
    const [field, wire] = reader.tag();
    if (field === 2 && wire === LEN) {
      const spanEnd = reader.lengthEnd();
      try {
        rows.push(decodeSpan(reader, spanEnd, resource, serviceName, scopeName, scopeVersion));
      } catch (error) {
        if (!(error instanceof SpanRejected)) throw error;
        state.rejected++;
        state.firstError ??= error.message;
      }
      reader.pos = spanEnd;
    } else reader.skip(wire);
  }
}

function decodeSpan(reader: Reader, end: number, resource: Record<string, string>, serviceName: string, scopeName: string, scopeVersion: string): SpanRow {
  let traceId = '';
  let spanId = '';
  let parentSpanId = '';
  let traceState = '';
  let name = '';
  let kind = 0;
  let start: [number, number] = [0, 0];
  let finish: [number, number] = [0, 0];
  let attributes: Record<string, string> = {};
  let statusCode = 0;
  let statusMessage = '';
  const eventTimes: string[] = [];
  const eventNames: string[] = [];
  const eventAttributes: Record<string, string>[] = [];
  const linkTraceIds: string[] = [];
  const linkSpanIds: string[] = [];
  const linkStates: string[] = [];
  const linkAttributes: Record<string, string>[] = [];
  let hasAttributes = false;

  while (reader.more(end)) {
    const [field, wire] = reader.tag();
    // A field is read only with the wire type its declaration implies; anything else is skipped.
    switch ((field << 3) | wire) {
      case (1 << 3) | LEN:
        traceId = reader.hex();
        break;
      case (2 << 3) | LEN:
        spanId = reader.hex();
        break;
      case (3 << 3) | LEN:
        traceState = reader.string();
        break;
      case (4 << 3) | LEN:
        parentSpanId = reader.hex();
        break;
      case (5 << 3) | LEN:
        name = reader.string();
        break;
      case (6 << 3) | VARINT:
        kind = reader.varint();
        break;
      case (7 << 3) | I64:
        start = reader.fixed64();
        break;
      case (8 << 3) | I64:
        finish = reader.fixed64();
        break;
      case (9 << 3) | LEN: {
        if (!hasAttributes) attributes = {};
        hasAttributes = true;
        readKeyValueInto(reader, attributes);
        break;
      }
      case (11 << 3) | LEN: {
        const eventEnd = reader.lengthEnd();
        let time: [number, number] = [0, 0];
        let eventName = '';
        const eventAttrs: Record<string, string> = {};
        while (reader.more(eventEnd)) {
          const [f, w] = reader.tag();
          if (f === 1 && w === I64) time = reader.fixed64();
          else if (f === 2 && w === LEN) eventName = reader.string();
          else if (f === 3 && w === LEN) readKeyValueInto(reader, eventAttrs);
          else reader.skip(w);
        }
        eventTimes.push(nanosText(time));
        eventNames.push(eventName);
        eventAttributes.push(eventAttrs);
        break;
      }
      case (13 << 3) | LEN: {
        const linkEnd = reader.lengthEnd();
        let linkTrace = '';
        let linkSpan = '';
        let linkState = '';
        const linkAttrs: Record<string, string> = {};
        while (reader.more(linkEnd)) {
          const [f, w] = reader.tag();
          if (f === 1 && w === LEN) linkTrace = reader.hex();
          else if (f === 2 && w === LEN) linkSpan = reader.hex();
          else if (f === 3 && w === LEN) linkState = reader.string();
          else if (f === 4 && w === LEN) readKeyValueInto(reader, linkAttrs);
          else reader.skip(w);
        }
        linkTraceIds.push(requiredId(linkTrace, 16, 'links.traceId'));
        linkSpanIds.push(requiredId(linkSpan, 8, 'links.spanId'));
        linkStates.push(linkState);
        linkAttributes.push(linkAttrs);
        break;
      }
      case (15 << 3) | LEN: {
        const statusEnd = reader.lengthEnd();
        while (reader.more(statusEnd)) {
          const [f, w] = reader.tag();
          if (f === 2 && w === LEN) statusMessage = reader.string();
          else if (f === 3 && w === VARINT) statusCode = reader.varint();
          else reader.skip(w);
        }
        break;
      }
      default:
        reader.skip(wire);
    }
  }

  const duration = (finish[0] - start[0]) * 4294967296 + (finish[1] - start[1]);
  return {
    Timestamp: nanosText(start),
    TraceId: requiredId(traceId, 16, 'traceId'),
    SpanId: requiredId(spanId, 8, 'spanId'),
    ParentSpanId: optionalId(parentSpanId, 8, 'parentSpanId'),
    TraceState: traceState,
    SpanName: name,
    SpanKind: KINDS[kind] ?? 'Unspecified',
    ServiceName: serviceName,
    ResourceAttributes: resource,
    ScopeName: scopeName,
    ScopeVersion: scopeVersion,
    SpanAttributes: attributes,
    // Durations beyond 2^53 ns (104 days) would need BigInt; a span that ends before it starts is clamped.
    Duration: duration > 0 ? String(duration) : '0',
    StatusCode: STATUSES[statusCode] ?? 'Unset',
    StatusMessage: statusMessage,
    'Events.Timestamp': eventTimes,
    'Events.Name': eventNames,
    'Events.Attributes': eventAttributes,
    'Links.TraceId': linkTraceIds,
    'Links.SpanId': linkSpanIds,
    'Links.TraceState': linkStates,
    'Links.Attributes': linkAttributes,
  };
}

const ZERO_IDS = new Set(['0'.repeat(16), '0'.repeat(32)]);

function requiredId(hex: string, bytes: number, field: string): string {
  if (hex.length !== bytes * 2) throw new SpanRejected(`${field} must be ${bytes} bytes, got ${hex.length / 2}`);
  if (ZERO_IDS.has(hex)) throw new SpanRejected(`${field} must not be all zeros`);
  return hex;
}

function optionalId(hex: string, bytes: number, field: string): string {
  if (hex === '' || ZERO_IDS.has(hex)) return '';
  return requiredId(hex, bytes, field);
}

function nanosText([hi, lo]: [number, number]): string {
  if (hi < 0x200000) return String(hi * 4294967296 + lo); // below 2^53: exact as a Number
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** Reads one KeyValue message (already positioned at its length) into `target`. */
function readKeyValueInto(reader: Reader, target: Record<string, string>) {
  const end = reader.lengthEnd();
  let key = '';
  let value = '';
  while (reader.more(end)) {
    const [field, wire] = reader.tag();
    if (field === 1 && wire === LEN) key = reader.string();
    else if (field === 2 && wire === LEN) {
      const valueEnd = reader.lengthEnd();
      value = scalarOrJson(reader, valueEnd);
      reader.pos = valueEnd;
    } else reader.skip(wire);
  }
  target[key] = value;
}

function attributesUntil(reader: Reader, end: number, field: number): Record<string, string> {
  const out: Record<string, string> = {};
  while (reader.more(end)) {
    const [f, w] = reader.tag();
    if (f === field && w === LEN) readKeyValueInto(reader, out);
    else reader.skip(w);
  }
  return out;
}

/** An AnyValue as the exporter stringifies it; arrays and maps go through the shared JSON path. */
function scalarOrJson(reader: Reader, end: number): string {
  const value = anyValue(reader, end);
  return value ? stringify(value) : '';
}

function anyValue(reader: Reader, end: number): OtlpAnyValue | undefined {
  let value: OtlpAnyValue | undefined;
  while (reader.more(end)) {
    const [field, wire] = reader.tag();
    if (field === 1 && wire === LEN) value = { stringValue: reader.string() };
    else if (field === 2 && wire === VARINT) value = { boolValue: reader.varint() !== 0 };
    else if (field === 3 && wire === VARINT) value = { intValue: reader.varint64().toString() };
    else if (field === 4 && wire === I64) {
      if (reader.pos + 8 > reader.buf.length) throw new ProtobufError('truncated double');
      value = { doubleValue: reader.buf.readDoubleLE(reader.pos) };
      reader.pos += 8;
    } else if ((field === 5 || field === 6) && wire === LEN) {
      const listEnd = reader.lengthEnd();
      const values: OtlpAnyValue[] = [];
      const pairs: OtlpKeyValue[] = [];
      while (reader.more(listEnd)) {
        const [f, w] = reader.tag();
        if (f === 1 && w === LEN) {
          const itemEnd = reader.lengthEnd();
          if (field === 5) values.push(anyValue(reader, itemEnd) ?? {});
          else pairs.push(keyValue(reader, itemEnd));
          reader.pos = itemEnd;
        } else reader.skip(w);
      }
      value = field === 5 ? { arrayValue: { values } } : { kvlistValue: { values: pairs } };
    } else if (field === 7 && wire === LEN) {
      const bytesEnd = reader.lengthEnd();
      value = { bytesValue: reader.buf.toString('base64', reader.pos, bytesEnd) };
      reader.pos = bytesEnd;
    } else reader.skip(wire);
  }
  return value;
}

function keyValue(reader: Reader, end: number): OtlpKeyValue {
  let key = '';
  let value: OtlpAnyValue | undefined;
  while (reader.more(end)) {
    const [field, wire] = reader.tag();
    if (field === 1 && wire === LEN) key = reader.string();
    else if (field === 2 && wire === LEN) {
      const valueEnd = reader.lengthEnd();
      value = anyValue(reader, valueEnd);
      reader.pos = valueEnd;
    } else reader.skip(wire);
  }
  return { key, value };
}
