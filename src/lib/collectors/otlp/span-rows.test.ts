import { describe, expect, it } from 'vitest';
import { mapSpans, type OtlpSpan } from './span-rows';

const TRACE = '5B8EFFF798038103D269B633813FC60C';
const SPAN = 'EEE19B7EC3C1B174';

const request = (spans: OtlpSpan[], resource = [{ key: 'service.name', value: { stringValue: 'crossdock-runtime' } }]) => ({
  resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ scope: { name: 'crossdock', version: '0.1.0' }, spans }] }],
});

const aSpan = (overrides: Partial<OtlpSpan> = {}): OtlpSpan => ({
  traceId: TRACE,
  spanId: SPAN,
  name: 'deliver wms-rest',
  kind: 3,
  startTimeUnixNano: '1795748400123456789',
  endTimeUnixNano: '1795748400223456789',
  ...overrides,
});

describe('mapSpans', () => {
  it('writes rows the way the ClickHouse exporter does', () => {
    const { rows, rejected } = mapSpans(
      request([
        aSpan({
          parentSpanId: 'aaaaaaaaaaaaaaaa',
          traceState: 'k=v',
          attributes: [
            { key: 'correlation.id', value: { stringValue: 'S00042' } },
            { key: 'crossdock.attempt', value: { intValue: '9007199254740993' } },
            { key: 'ok', value: { boolValue: false } },
            { key: 'ratio', value: { doubleValue: 0.25 } },
            { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 2 }] } } },
            { key: 'map', value: { kvlistValue: { values: [{ key: 'x', value: { boolValue: true } }] } } },
          ],
          status: { code: 2, message: 'partner said 503' },
          events: [{ timeUnixNano: '1795748400200000000', name: 'exception', attributes: [{ key: 'exception.type', value: { stringValue: 'PartnerUnavailableError' } }] }],
          links: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' }],
        }),
      ]),
    );
    expect(rejected).toBe(0);
    expect(rows).toEqual([
      {
        Timestamp: '1795748400123456789',
        TraceId: '5b8efff798038103d269b633813fc60c',
        SpanId: 'eee19b7ec3c1b174',
        ParentSpanId: 'aaaaaaaaaaaaaaaa',
        TraceState: 'k=v',
        SpanName: 'deliver wms-rest',
        SpanKind: 'Client',
        ServiceName: 'crossdock-runtime',
        ResourceAttributes: { 'service.name': 'crossdock-runtime' },
        ScopeName: 'crossdock',
        ScopeVersion: '0.1.0',
        SpanAttributes: {
          'correlation.id': 'S00042',
          'crossdock.attempt': '9007199254740993',
          ok: 'false',
          ratio: '0.25',
          tags: '["a",2]',
          map: '{"x":true}',
        },
        Duration: '100000000',
        StatusCode: 'Error',
        StatusMessage: 'partner said 503',
        'Events.Timestamp': ['1795748400200000000'],
        'Events.Name': ['exception'],
        'Events.Attributes': [{ 'exception.type': 'PartnerUnavailableError' }],
        'Links.TraceId': ['0af7651916cd43dd8448eb211c80319c'],
        'Links.SpanId': ['b7ad6b7169203331'],
        'Links.TraceState': [''],
        'Links.Attributes': [{}],
      },
    ]);
  });

  it('accepts enum names as the Collector does, and bytes ids', () => {
    const { rows } = mapSpans(
      request([aSpan({ traceId: Buffer.from(TRACE, 'hex'), spanId: Buffer.from(SPAN, 'hex'), kind: 'SPAN_KIND_SERVER', status: { code: 'STATUS_CODE_OK' } })]),
    );
    expect(rows[0]).toMatchObject({ TraceId: TRACE.toLowerCase(), SpanKind: 'Server', StatusCode: 'Ok', ParentSpanId: '' });
  });

  it('rejects bad spans one by one and keeps the rest', () => {
    const { rows, rejected, firstError } = mapSpans(
      request([
        aSpan(),
        aSpan({ traceId: 'abc' }),
        aSpan({ spanId: 'zzzzzzzzzzzzzzzz' }),
        aSpan({ traceId: '0'.repeat(32) }),
        aSpan({ startTimeUnixNano: '-5' }),
      ]),
    );
    expect(rows).toHaveLength(1);
    expect(rejected).toBe(4);
    expect(firstError).toBe('traceId must be 16 bytes, got 1.5');
  });

  it('clamps a span that ends before it starts to zero duration', () => {
    const { rows } = mapSpans(request([aSpan({ endTimeUnixNano: '1' })]));
    expect(rows[0].Duration).toBe('0');
  });

  it('leaves ServiceName empty when the resource has none', () => {
    expect(mapSpans(request([aSpan()], [])).rows[0].ServiceName).toBe('');
  });
});
