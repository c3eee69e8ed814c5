import { describe, expect, it } from 'vitest';
import { otlpTypes } from './proto';
import { decodeProtobufSpans, ProtobufError } from './protobuf-spans';
import { mapSpans, type OtlpTraceRequest } from './span-rows';

// A seeded generator, so a failure reproduces.
function random(seed: number) {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

function anyValue(rand: () => number, depth = 0): Record<string, unknown> {
  const pick = Math.floor(rand() * (depth > 1 ? 5 : 7));
  switch (pick) {
    case 0: return { stringValue: `v${Math.floor(rand() * 1e6)} ünï'"\\` };
    case 1: return { boolValue: rand() > 0.5 };
    case 2: return { intValue: String(Math.floor((rand() - 0.5) * 2 ** 53)) };
    case 3: return { doubleValue: (rand() - 0.5) * 1e6 };
    case 4: return { bytesValue: Buffer.from([1, 2, 3, Math.floor(rand() * 255)]) };
    case 5: return { arrayValue: { values: [anyValue(rand, depth + 1), anyValue(rand, depth + 1)] } };
    default: return { kvlistValue: { values: [{ key: 'k', value: anyValue(rand, depth + 1) }] } };
  }
}

function bytes(rand: () => number, n: number, valid: boolean) {
  if (!valid) return Buffer.alloc(Math.floor(rand() * 3) * n, 0);
  return Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));
}

function request(seed: number) {
  const rand = random(seed);
  const attrs = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `a${i}`, value: anyValue(rand) }));
  return {
    resourceSpans: Array.from({ length: 1 + Math.floor(rand() * 2) }, () => ({
      resource: rand() > 0.2 ? { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }, ...attrs(2)] } : undefined,
      scopeSpans: Array.from({ length: 1 + Math.floor(rand() * 2) }, () => ({
        scope: rand() > 0.3 ? { name: 'scope', version: '1.2.3' } : undefined,
        spans: Array.from({ length: 1 + Math.floor(rand() * 5) }, () => {
          const start = BigInt(Math.floor(rand() * 2 ** 40)) * 1_000_000n;
          return {
            traceId: bytes(rand, 16, rand() > 0.05),
            spanId: bytes(rand, 8, rand() > 0.05),
            parentSpanId: rand() > 0.5 ? bytes(rand, 8, true) : undefined,
            traceState: rand() > 0.8 ? 'k=v' : undefined,
            name: `span ${Math.floor(rand() * 100)}`,
            kind: Math.floor(rand() * 7),
            startTimeUnixNano: start.toString(),
            endTimeUnixNano: (start + BigInt(Math.floor(rand() * 1e9))).toString(),
            attributes: attrs(Math.floor(rand() * 4)),
            events: rand() > 0.7 ? [{ timeUnixNano: start.toString(), name: 'exception', attributes: attrs(1) }] : [],
            links: rand() > 0.8 ? [{ traceId: bytes(rand, 16, true), spanId: bytes(rand, 8, true), attributes: attrs(1) }] : [],
            status: rand() > 0.5 ? { code: Math.floor(rand() * 3), message: rand() > 0.5 ? 'boom' : '' } : undefined,
          };
        }),
      })),
    })),
  };
}

const encode = (object: object) => {
  const type = otlpTypes.ExportTraceServiceRequest;
  return Buffer.from(type.encode(type.fromObject(object)).finish());
};

describe('decodeProtobufSpans', () => {
  it('agrees with protobufjs + mapSpans on 300 generated requests', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const body = encode(request(seed));
      const reference = mapSpans(otlpTypes.ExportTraceServiceRequest.decode(body) as unknown as OtlpTraceRequest);
      expect(decodeProtobufSpans(body), `seed ${seed}`).toEqual(reference);
    }
  });

  it('does not depend on field order on the wire (resource after its spans)', () => {
    const inOrder = encode(request(7));
    const resourceSpans = otlpTypes.ExportTraceServiceRequest.decode(inOrder) as unknown as { resourceSpans: object[] };
    // Re-encode one ResourceSpans with field 2 (scope spans) before field 1 (resource).
    const rs = otlpTypes.ExportTraceServiceRequest.lookupType('ResourceSpans');
    const only = rs.fromObject(resourceSpans.resourceSpans[0]) as unknown as { resource?: object; scopeSpans: object[] };
    const scopes = Buffer.from(rs.encode(rs.fromObject({ scopeSpans: only.scopeSpans })).finish());
    const resource = Buffer.from(rs.encode(rs.fromObject({ resource: only.resource })).finish());
    const swapped = Buffer.concat([scopes, resource]);
    const body = Buffer.concat([Buffer.from([0x0a]), varint(swapped.length), swapped]);
    const expected = mapSpans({ resourceSpans: [resourceSpans.resourceSpans[0]] } as unknown as OtlpTraceRequest);
    expect(decodeProtobufSpans(body)).toEqual(expected);
  });

  it('skips unknown fields of every wire type', () => {
    const known = encode(request(3));
    const unknown = Buffer.from([(99 << 3) | 0, 0x96, 0x01, (98 << 3) | 1, 1, 2, 3, 4, 5, 6, 7, 8, (97 << 3) | 5, 1, 2, 3, 4, (96 << 3) | 2, 2, 0xff, 0xff]);
    const reference = decodeProtobufSpans(known);
    expect(decodeProtobufSpans(Buffer.concat([unknown, known]))).toEqual(reference);
  });

  it('throws ProtobufError on truncated or malformed input', () => {
    const body = encode(request(11));
    expect(() => decodeProtobufSpans(body.subarray(0, body.length - 3))).toThrow(ProtobufError);
    expect(() => decodeProtobufSpans(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]))).toThrow(ProtobufError);
    expect(() => decodeProtobufSpans(Buffer.from([0x0b]))).toThrow(/unsupported wire type 3/);
  });
});

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}
