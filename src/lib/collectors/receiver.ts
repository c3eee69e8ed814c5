import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createGunzip } from 'node:zlib';
import { decodeTraceRequest, encodeErrorStatus, encodeExportResponse, formatOf, OtlpDecodeError, type OtlpFormat } from './otlp/codec';
import type { SpanBuffer } from './span-buffer';

export interface ReceiverOptions {
  /** Largest accepted body in bytes, before and after gzip decompression. */
  maxBodyBytes: number;
}

export interface ReceiverStats {
  requests: number;
  acceptedSpans: number;
  rejectedSpans: number;
  /** Requests answered 429/503 because the buffer was full. */
  throttledRequests: number;
  /** Requests refused as malformed, oversize or unsupported (4xx other than 429). */
  refusedRequests: number;
}

// gRPC status codes used in google.rpc.Status bodies.
const INVALID_ARGUMENT = 3;
const RESOURCE_EXHAUSTED = 8;
const UNAVAILABLE = 14;

class HttpProblem extends Error {
  constructor(readonly status: number, message: string, readonly code = INVALID_ARGUMENT) {
    super(message);
  }
}

/**
 * The OTLP/HTTP trace endpoint, `POST /v1/traces`, as the OTLP specification and the reference
 * Collector define it: protobuf or JSON by Content-Type (answered in kind), optional gzip, a body
 * cap (413), 400 for undecodable data, `partial_success` for refused spans, and 429/503 with
 * Retry-After when the buffer is full, so exporters back off instead of the collector growing.
 */
export function createReceiver(buffer: SpanBuffer, options: ReceiverOptions): { server: Server; stats(): ReceiverStats } {
  const stats: ReceiverStats = { requests: 0, acceptedSpans: 0, rejectedSpans: 0, throttledRequests: 0, refusedRequests: 0 };

  async function handle(request: IncomingMessage, response: ServerResponse) {
    stats.requests++;
    const format = formatOf(request.headers['content-type']);
    try {
      const path = (request.url ?? '').split('?', 1)[0];
      if (path !== '/v1/traces') throw new HttpProblem(404, `unknown path ${path}; traces go to POST /v1/traces`);
      if (request.method !== 'POST') {
        response.setHeader('allow', 'POST');
        throw new HttpProblem(405, `method ${request.method} not allowed; use POST`);
      }
      if (!format) throw new HttpProblem(415, 'unsupported media type, supported: [application/json, application/x-protobuf]');
      refuseIfFull(buffer, 1);

      const body = await readBody(request, options.maxBodyBytes);
      const { rows, rejected, firstError } = decodeTraceRequest(body, format);
      refuseIfFull(buffer, rows.length);
      if (!buffer.offer(rows)) refuseIfFull(buffer, Number.POSITIVE_INFINITY);
      stats.acceptedSpans += rows.length;
      stats.rejectedSpans += rejected;
      send(response, 200, format, encodeExportResponse(format, rejected, firstError && `${rejected} span(s) rejected: ${firstError}`));
    } catch (error) {
      const problem =
        error instanceof HttpProblem ? error : error instanceof OtlpDecodeError ? new HttpProblem(400, error.message) : new HttpProblem(500, 'internal error', 13);
      if (problem.status === 429 || problem.status === 503) stats.throttledRequests++;
      else stats.refusedRequests++;
      if (problem.status === 500) console.error('collector: unexpected error', error);
      // Drain what the client is still sending so the connection can be reused, but never buffer it.
      request.resume();
      send(response, problem.status, format, encodeErrorStatus(format, problem.code, problem.message));
    }
  }

  function refuseIfFull(target: SpanBuffer, count: number) {
    if (target.hasRoom(count)) return;
    const { failing } = target.stats();
    // 503 while ClickHouse is failing (wait longer), 429 while it is merely behind.
    throw failing
      ? new HttpProblem(503, 'span storage is unavailable; retry later', UNAVAILABLE)
      : new HttpProblem(429, 'collector buffer is full; retry later', RESOURCE_EXHAUSTED);
  }

  const server = createServer((request, response) => {
    void handle(request, response);
  });
  return { server, stats: () => ({ ...stats }) };
}

function send(response: ServerResponse, status: number, format: OtlpFormat | undefined, body: Buffer) {
  if (status === 429) response.setHeader('retry-after', '1');
  if (status === 503) response.setHeader('retry-after', '5');
  response.writeHead(status, {
    'content-type': format === 'protobuf' ? 'application/x-protobuf' : 'application/json',
    'content-length': body.length,
  });
  response.end(body);
}

/** Reads the body, gunzipping if asked, refusing it (413) as soon as it passes the cap. */
function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'gzip' && encoding !== 'identity')
    return Promise.reject(new HttpProblem(415, `unsupported content-encoding ${encoding}; use gzip or none`));
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBytes) return Promise.reject(tooLarge(maxBytes));

  return new Promise((resolve, reject) => {
    const source = encoding === 'gzip' ? request.pipe(createGunzip()) : request;
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      if (source !== request) source.destroy();
      reject(error);
    };
    request.on('error', fail);
    source.on('error', (error) => fail(new HttpProblem(400, `invalid gzip body: ${error.message}`)));
    source.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) fail(tooLarge(maxBytes));
      else if (!settled) chunks.push(chunk);
    });
    source.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, size));
    });
  });
}

function tooLarge(maxBytes: number) {
  return new HttpProblem(413, `request body exceeds ${maxBytes} bytes (after decompression)`);
}
