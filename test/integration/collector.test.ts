import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type Collector, type SpanSink } from '../../src/lib/collectors';
import { otlpTypes } from '../../src/lib/collectors/otlp/proto';
import { migrate, readMigrationDir, type ClickHouse } from '../../src/lib/server/clickhouse';
import { getTransaction, type Transaction } from '../../src/lib/server/transactions/transaction';
import { freshClickHouse } from '../support/clickhouse';
import { stockProvider } from '../support/otel-sdk';

let ch: ClickHouse;
let collector: Collector;
const MAX_BODY = 64 * 1024;

beforeAll(async () => {
  ch = await freshClickHouse('collector');
  await migrate(ch, await readMigrationDir(fileURLToPath(new URL('../../migrations/', import.meta.url))));
  collector = await startCollector(
    { host: '127.0.0.1', port: 0, maxBodyBytes: MAX_BODY, buffer: { flushIntervalMs: 50 } },
    { client: ch.client },
  );
});
afterAll(async () => {
  await collector?.stop();
  await ch?.close();
});

/** Polls until the transaction has `spans` spans stored (the collector flushes every 50 ms). */
async function transactionWithSpans(correlationId: string, spans: number): Promise<Transaction> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = await getTransaction(ch, correlationId);
    if (found && found.spans.length >= spans) return found;
    if (Date.now() > deadline) throw new Error(`only ${found?.spans.length ?? 0} of ${spans} spans for ${correlationId}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One business transaction over two traces: release (with a partner call), then acknowledgement. */
async function emitOrderStory(tracer: Tracer, correlationId: string) {
  const attrs = { 'correlation.id': correlationId, 'process.name': 'order_fulfillment', 'service.class': 'realtime', 'warehouse.id': 'wms-rest' };
  const release = tracer.startSpan('release order', { kind: SpanKind.CONSUMER, attributes: { ...attrs, 'process.milestone': 'released' } });
  const partnerCall = tracer.startSpan('POST /orders', { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'POST', 'http.response.status_code': 503 } }, trace.setSpan(context.active(), release));
  partnerCall.setStatus({ code: SpanStatusCode.ERROR, message: 'HTTP 503' });
  partnerCall.end();
  release.end();
  // A new root span's clock is anchored to Date.now() (millisecond resolution), so a root started
  // within the same millisecond could sort before the release; acknowledgements come later anyway.
  await new Promise((r) => setTimeout(r, 5));
  const ack = tracer.startSpan('acknowledge order', {
    kind: SpanKind.CONSUMER,
    root: true,
    links: [{ context: release.spanContext() }],
    attributes: { ...attrs, 'process.milestone': 'acknowledged' },
  });
  ack.end();
  return { release: release.spanContext(), partnerCall: partnerCall.spanContext(), ack: ack.spanContext() };
}

async function post(body: Buffer | string, headers: Record<string, string>, path = '/v1/traces', method = 'POST') {
  const payload = typeof body === 'string' ? body : new Uint8Array(body);
  return fetch(`${collector.url}${path}`, { method, headers, body: method === 'POST' ? payload : undefined });
}

describe('collector with a stock OpenTelemetry SDK exporter', () => {
  for (const [encoding, gzip] of [['protobuf', false], ['json', false], ['protobuf', true]] as const) {
    it(`stores spans sent as ${encoding}${gzip ? ' with gzip' : ''} and reads the transaction back across two traces`, async () => {
      const provider = stockProvider(collector.url, encoding, { gzip });
      const correlationId = `S-${encoding}-${gzip ? 'gz' : 'plain'}`;
      const ids = await emitOrderStory(provider.getTracer('crossdock-test'), correlationId);
      await provider.forceFlush();
      await provider.shutdown();

      const tx = await transactionWithSpans(correlationId, 3);
      expect(tx.traces.map((t) => t.traceId).sort()).toEqual([ids.release.traceId, ids.ack.traceId].sort());
      expect(tx.processes).toEqual(['order_fulfillment']);
      expect(tx.spans.map((s) => s.name)).toEqual(['release order', 'POST /orders', 'acknowledge order']);

      const [release, call, ack] = tx.spans;
      expect(release).toMatchObject({ spanId: ids.release.spanId, parentSpanId: null, kind: 'Consumer', service: 'test-runtime' });
      // The partner call carries no correlation.id; it is found through its trace.
      expect(call).toMatchObject({ parentSpanId: ids.release.spanId, kind: 'Client', status: { code: 'Error', message: 'HTTP 503' } });
      expect(call.attributes['http.response.status_code']).toBe('503');
      expect(ack.links).toEqual([{ traceId: ids.release.traceId, spanId: ids.release.spanId }]);
      expect(tx.traces.find((t) => t.traceId === ids.release.traceId)).toMatchObject({ spans: 1, errors: 0 });

      expect(tx.milestones.map((m) => m.milestone)).toEqual(['released', 'acknowledged']);
      expect(tx.milestones[0]).toMatchObject({ process: 'order_fulfillment', traceId: ids.release.traceId, spanId: ids.release.spanId });
      expect(Date.parse(tx.milestones[1].reachedAt)).toBeGreaterThanOrEqual(Date.parse(tx.milestones[0].reachedAt));
      expect(release.durationMs).toBeGreaterThanOrEqual(0);
    });
  }

  it('finds nothing for an unknown correlation id', async () => {
    expect(await getTransaction(ch, 'S-never-sent')).toBeUndefined();
  });
});

describe('collector protocol edges', () => {
  const validJson = (traceIds: string[]) =>
    JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'edge-test' } }] },
          scopeSpans: [
            {
              scope: { name: 't' },
              spans: traceIds.map((traceId, i) => ({
                traceId,
                spanId: `00000000000000${String(i + 1).padStart(2, '0')}`,
                name: 'edge',
                kind: 'SPAN_KIND_INTERNAL',
                startTimeUnixNano: '1795748400000000000',
                endTimeUnixNano: 1795748400000001000,
                attributes: [{ key: 'correlation.id', value: { stringValue: 'S-edge' } }],
              })),
            },
          ],
        },
      ],
    });

  it('answers partial_success for the spans it refuses and keeps the rest', async () => {
    const response = await post(validJson(['0123456789abcdef0123456789abcdef', 'not-hex']), { 'content-type': 'application/json' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ partialSuccess: { rejectedSpans: '1', errorMessage: '1 span(s) rejected: traceId must be hex' } });
    const tx = await transactionWithSpans('S-edge', 1);
    expect(tx.spans[0]).toMatchObject({ kind: 'Internal', durationNs: '1000', service: 'edge-test' });
  });

  it('answers an empty protobuf success, in protobuf', async () => {
    const body = Buffer.from(otlpTypes.ExportTraceServiceRequest.encode({}).finish());
    const response = await post(body, { 'content-type': 'application/x-protobuf' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    const decoded = otlpTypes.ExportTraceServiceResponse.decode(new Uint8Array(await response.arrayBuffer())) as { partialSuccess?: unknown };
    expect(decoded.partialSuccess).toBeFalsy();
  });

  it('refuses undecodable protobuf and JSON with 400 and a google.rpc.Status', async () => {
    const proto = await post(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]), { 'content-type': 'application/x-protobuf' });
    expect(proto.status).toBe(400);
    const status = otlpTypes.RpcStatus.decode(new Uint8Array(await proto.arrayBuffer())) as unknown as { code: number; message: string };
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/invalid OTLP protobuf/);

    const json = await post('{"resourceSpans": [', { 'content-type': 'application/json' });
    expect(json.status).toBe(400);
    expect((await json.json()).message).toMatch(/^invalid JSON/);

    const shape = await post('{"resourceSpans": {"oops": true}}', { 'content-type': 'application/json' });
    expect(shape.status).toBe(400);
    expect((await shape.json()).message).toMatch(/^invalid OTLP\/JSON trace request: resourceSpans:/);
  });

  it('refuses oversize bodies with 413, also when only the decompressed size is too large', async () => {
    const big = Buffer.alloc(MAX_BODY + 1, 0x20);
    expect((await post(big, { 'content-type': 'application/json' })).status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(MAX_BODY * 20, 0x20));
    expect(bomb.length).toBeLessThan(MAX_BODY);
    const response = await post(bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(response.status).toBe(413);
    expect((await response.json()).message).toContain('after decompression');
  });

  it('refuses a corrupt gzip body with 400 and unknown encodings with 415', async () => {
    expect((await post(Buffer.from('not gzip at all'), { 'content-type': 'application/json', 'content-encoding': 'gzip' })).status).toBe(400);
    expect((await post(Buffer.from('{}'), { 'content-type': 'application/json', 'content-encoding': 'br' })).status).toBe(415);
  });

  it('answers wrong media types, methods and paths as the reference Collector does', async () => {
    const media = await post('x', { 'content-type': 'text/plain' });
    expect(media.status).toBe(415);
    expect((await media.json()).message).toBe('unsupported media type, supported: [application/json, application/x-protobuf]');
    const method = await post('', { 'content-type': 'application/json' }, '/v1/traces', 'GET');
    expect(method.status).toBe(405);
    expect(method.headers.get('allow')).toBe('POST');
    expect((await post('{}', { 'content-type': 'application/json' }, '/v1/logs')).status).toBe(404);
  });
});

describe('collector backpressure', () => {
  const oneSpan = (i: number) =>
    JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '0123456789abcdef0123456789abcdef', spanId: (i + 1).toString(16).padStart(16, '0'), name: 'x', startTimeUnixNano: '1', endTimeUnixNano: '2' }] }] }] });

  it('answers 429 with Retry-After while the buffer is full, and 503 while storage fails', async () => {
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    let failing = false;
    const written: number[] = [];
    const sink: SpanSink = {
      async write(rows) {
        if (failing) throw new Error('ClickHouse down');
        await blocked;
        written.push(rows.length);
      },
    };
    const small = await startCollector(
      { host: '127.0.0.1', port: 0, maxBodyBytes: MAX_BODY, buffer: { maxSpans: 3, batchSize: 1, flushIntervalMs: 10, retryInitialMs: 10, retryMaxMs: 10, writers: 1 } },
      { sink },
    );
    const send = (i: number) => fetch(`${small.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: oneSpan(i) });
    try {
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push((await send(i)).status);
      // One batch is in the blocked writer; three wait in the buffer; the rest are refused.
      expect(statuses.filter((s) => s === 200).length).toBe(4);
      const refused = await send(99);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(small.stats().throttledRequests).toBeGreaterThanOrEqual(3);

      failing = true;
      release();
      await new Promise((r) => setTimeout(r, 100));
      const unavailable = await send(100);
      expect(unavailable.status).toBe(503);
      expect(unavailable.headers.get('retry-after')).toBe('5');
      failing = false;
    } finally {
      await small.stop();
    }
    // Every accepted span was written in the end.
    expect(written.reduce((a, b) => a + b, 0)).toBe(4);
    expect(small.stats()).toMatchObject({ acceptedSpans: 4, written: 4, lost: 0 });
  });
});
