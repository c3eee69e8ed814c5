import { randomBytes } from 'node:crypto';
import { otlpTypes } from '../../src/lib/collectors/otlp/proto';

/**
 * Encoded OTLP protobuf trace requests shaped like the runtime's traffic: traces of 10 spans,
 * one correlation ID per trace, Crossdock's attributes plus messaging/http semantic attributes.
 */
export function encodeRequests(count: number, spansPerRequest: number, seed = 0): Buffer[] {
  const requests: Buffer[] = [];
  const start = BigInt(Date.now()) * 1_000_000n;
  for (let r = 0; r < count; r++) {
    const spans = [];
    for (let t = 0; t < spansPerRequest / 10; t++) {
      const traceId = randomBytes(16);
      const rootId = randomBytes(8);
      const correlationId = `S${String(seed * 1_000_000 + r * 1_000 + t).padStart(7, '0')}`;
      for (let s = 0; s < 10; s++) {
        const begin = start + BigInt(r * 1_000_000 + t * 10_000 + s * 100);
        spans.push({
          traceId,
          spanId: s === 0 ? rootId : randomBytes(8),
          parentSpanId: s === 0 ? Buffer.alloc(0) : rootId,
          name: s === 0 ? 'process crossdock.order.released' : s % 2 ? 'POST /v1/orders' : 'transform order',
          kind: s === 0 ? 5 : s % 2 ? 3 : 1,
          startTimeUnixNano: begin.toString(),
          endTimeUnixNano: (begin + 2_500_000n).toString(),
          attributes: [
            { key: 'correlation.id', value: { stringValue: correlationId } },
            { key: 'process.name', value: { stringValue: 'order_fulfillment' } },
            { key: 'warehouse.id', value: { stringValue: ['wms-rest', 'wms-batch', 'edi-3pl'][t % 3] } },
            { key: 'service.class', value: { stringValue: 'realtime' } },
            { key: 'crossdock.attempt', value: { intValue: 1 } },
            { key: s % 2 ? 'http.request.method' : 'messaging.system', value: { stringValue: s % 2 ? 'POST' : 'crossdock' } },
            ...(s === 0 ? [{ key: 'process.milestone', value: { stringValue: 'released' } }] : []),
          ],
          status: { code: s === 9 && t % 20 === 0 ? 2 : 0 },
        });
      }
    }
    const message = otlpTypes.ExportTraceServiceRequest.fromObject({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'crossdock-runtime' } }, { key: 'host.name', value: { stringValue: 'bench' } }] },
          scopeSpans: [{ scope: { name: 'crossdock', version: '0.1.0' }, spans }],
        },
      ],
    });
    requests.push(Buffer.from(otlpTypes.ExportTraceServiceRequest.encode(message).finish()));
  }
  return requests;
}
