import { issuesOf } from '../../integration/canonical/validate';
import { OtlpJsonTraceRequest } from './otlp-json';
import { otlpTypes } from './proto';
import { decodeProtobufSpans, ProtobufError } from './protobuf-spans';
import { mapSpans, type MappedSpans } from './span-rows';

/** The two OTLP/HTTP encodings; the response uses the request's. */
export type OtlpFormat = 'protobuf' | 'json';

/** The body is not a valid OTLP trace request (HTTP 400, never retried). */
export class OtlpDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OtlpDecodeError';
  }
}

/** Picks the decoder from the Content-Type, ignoring parameters such as charset. */
export function formatOf(contentType: string | undefined): OtlpFormat | undefined {
  const type = contentType?.split(';', 1)[0].trim().toLowerCase();
  if (type === 'application/x-protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

/**
 * Decodes an `ExportTraceServiceRequest` body into `otel_traces` rows, refusing individual bad
 * spans (counted for `partial_success`) and the whole body only when it cannot be decoded.
 */
export function decodeTraceRequest(body: Buffer, format: OtlpFormat): MappedSpans {
  if (format === 'protobuf') {
    try {
      return decodeProtobufSpans(body);
    } catch (error) {
      if (error instanceof ProtobufError || error instanceof RangeError) throw new OtlpDecodeError(`invalid OTLP protobuf: ${error.message}`);
      throw error;
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new OtlpDecodeError(`invalid JSON: ${(error as Error).message}`);
  }
  const parsed = OtlpJsonTraceRequest.safeParse(json);
  if (!parsed.success) {
    const [first] = issuesOf(parsed.error);
    throw new OtlpDecodeError(`invalid OTLP/JSON trace request: ${first.path}: ${first.message}`);
  }
  return mapSpans(parsed.data);
}

/** The success body, with `partial_success` only when spans were refused. */
export function encodeExportResponse(format: OtlpFormat, rejected: number, message?: string): Buffer {
  const partialSuccess = rejected > 0 ? { rejectedSpans: rejected, errorMessage: message ?? '' } : undefined;
  if (format === 'json') return Buffer.from(JSON.stringify(partialSuccess ? { partialSuccess: { ...partialSuccess, rejectedSpans: String(rejected) } } : {}));
  const type = otlpTypes.ExportTraceServiceResponse;
  return Buffer.from(type.encode(type.fromObject(partialSuccess ? { partialSuccess } : {})).finish());
}

/** A `google.rpc.Status` error body in the request's encoding. */
export function encodeErrorStatus(format: OtlpFormat | undefined, code: number, message: string): Buffer {
  if (format === 'protobuf') {
    const type = otlpTypes.RpcStatus;
    return Buffer.from(type.encode(type.fromObject({ code, message })).finish());
  }
  return Buffer.from(JSON.stringify({ code, message }));
}
