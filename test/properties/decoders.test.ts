import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { decodeTraceRequest, OtlpDecodeError } from '../../src/lib/collectors/otlp/codec';
import { AuthFailureError, ValidationError } from '../../src/lib/integration/errors';
import { MappingTables, WarehouseMapping } from '../../src/lib/integration/connectors/warehouse-mapping';
import restMapping from '../../src/lib/integration/connectors/wms-rest/fixtures/mapping.json';
import { WebhookDecoder } from '../../src/lib/integration/connectors/wms-rest/webhooks';
import { Columns, readCsv, writeCsv } from '../../src/lib/integration/connectors/wms-batch/csv-files';
import { parseX12, seg, writeX12 } from '../../src/lib/integration/connectors/edi-3pl/x12-document';
import { assertSafeFileName } from '../../src/lib/integration/connectors/wms-batch/sftp-mailbox';

/**
 * Property-based tests (fast-check) of decoders that take partner and network input: whatever
 * arrives, each answers with its own precise error or a well-formed result, never another
 * exception and never a hang (each property runs a bounded number of cases).
 */

const RUNS = { numRuns: 300 };

/** Runs `decode`, and says whether it threw one of the expected error types (anything else fails the property). */
function refusesPrecisely(decode: () => unknown, ...errors: (new (...args: never[]) => Error)[]): boolean {
  try {
    decode();
    return false;
  } catch (error) {
    if (errors.some((type) => error instanceof type)) return true;
    throw error;
  }
}

describe('SFTP file names', () => {
  it('accepts only plain names, and refuses everything else with a ValidationError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (name) => {
        if (refusesPrecisely(() => assertSafeFileName(name), ValidationError)) return;
        expect([...name].some((c) => c === '/' || c === '\\' || c.charCodeAt(0) < 0x20)).toBe(false);
        expect(name).not.toContain('..');
        expect(name.startsWith('.')).toBe(false);
      }),
      RUNS,
    );
  });

  it('refuses every way out of the mailbox folder', () => {
    for (const name of ['..', '../ACK_1.csv', '..\\ACK_1.csv', 'a/../../etc/passwd', '/etc/passwd', 'ACK_1.csv/..', '.ssh', 'ACK_1.csv\u0000.txt', 'ACK..csv'])
      expect(() => assertSafeFileName(name), name).toThrow(ValidationError);
  });
});

describe('WMS CSV files', () => {
  const columns = Columns.status;
  // What the WMS and we put in fields: anything Latin-1 but line breaks (quoted fields may hold `;` and quotes).
  const field = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 20 });
  const row = fc.record(Object.fromEntries(columns.map((c) => [c, field])) as Record<string, fc.Arbitrary<string>>);

  it('reads back what it writes, field by field (trimmed), whatever the fields hold', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 8 }), (rows) => {
        const parsed = readCsv(writeCsv(columns, rows), columns, 'STS_1.csv');
        expect(parsed).toEqual({ complete: true, rows: rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c].trim()]))) });
      }),
      RUNS,
    );
  });

  it('answers any bytes with "still being written", rows, or a ValidationError naming the file', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        try {
          const parsed = readCsv(Buffer.from(bytes), columns, 'STS_9.csv');
          if (parsed.complete) for (const r of parsed.rows) expect(Object.keys(r)).toEqual([...columns]);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          expect((error as Error).message).toContain('STS_9.csv');
        }
      }),
      RUNS,
    );
  });

  it('answers a valid file with one byte changed the same way', () => {
    const valid = writeCsv(columns, [Object.fromEntries(columns.map((c) => [c, `${c}-1`])), Object.fromEntries(columns.map((c) => [c, `${c}-2`]))]);
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 }), (at, byte) => {
        const mutated = Buffer.from(valid);
        mutated[at] = byte;
        try {
          readCsv(mutated, columns, 'STS_2.csv');
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
        }
      }),
      RUNS,
    );
  });
});

describe('OTLP trace requests', () => {
  it('decode any bytes as protobuf or JSON to spans, or refuse them with an OtlpDecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.constantFrom('protobuf' as const, 'json' as const), (bytes, format) => {
        if (refusesPrecisely(() => decodeTraceRequest(Buffer.from(bytes), format), OtlpDecodeError)) return;
      }),
      RUNS,
    );
  });

  it('refuse JSON of any shape that is not a trace request with an OtlpDecodeError naming where', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        try {
          decodeTraceRequest(Buffer.from(JSON.stringify(value) ?? 'null'), 'json');
        } catch (error) {
          expect(error).toBeInstanceOf(OtlpDecodeError);
        }
      }),
      RUNS,
    );
  });
});

describe('X12 interchanges', () => {
  const ids = { senderQualifier: 'ZZ', senderId: 'EDI3PL', receiverQualifier: 'ZZ', receiverId: 'CROSSDOCK', usage: 'T' as const };
  const valid = writeX12(ids, { isa: 42, gs: 7 }, 'FA', [{ id: '997', control: '0001', segments: [seg('AK1', 'OW', '7'), seg('AK9', 'A', '1', '1', '1')] }]);

  it('parse any text to interchanges, or refuse it with a ValidationError naming the source', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        if (refusesPrecisely(() => parseX12(text, 'inbox/997_1.x12'), ValidationError)) return;
      }),
      RUNS,
    );
  });

  it('parse a valid interchange with one character changed the same way', () => {
    expect(parseX12(valid, 'valid')).toHaveLength(1);
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.string({ minLength: 1, maxLength: 1 }), (at, c) => {
        const mutated = `${valid.slice(0, at)}${c}${valid.slice(at + 1)}`;
        if (refusesPrecisely(() => parseX12(mutated, 'mutated'), ValidationError)) return;
      }),
      RUNS,
    );
  });
});

describe('REST WMS webhooks', () => {
  const secret = `whsec_${Buffer.from('property-test-webhook-secret').toString('base64')}`;
  const decoder = new WebhookDecoder(secret, new MappingTables(WarehouseMapping.parse(restMapping)));
  const signer = new Webhook(secret);
  const signed = (body: string, id = 'msg_prop') => {
    const now = new Date();
    return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signer.sign(id, now, body) };
  };

  it('decode any correctly signed body to events, or refuse it with a ValidationError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v) ?? 'null'), fc.string({ maxLength: 200 })), (body) => {
        if (refusesPrecisely(() => decoder.decode(signed(body), body), ValidationError)) return;
      }),
      RUNS,
    );
  });

  it('refuse any unsigned, mis-signed or header-less call with an AuthFailureError', () => {
    const header = fc.option(fc.string({ maxLength: 60 }), { nil: undefined });
    fc.assert(
      fc.property(header, header, header, fc.string({ maxLength: 100 }), (id, timestamp, signature, body) => {
        const headers = { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature };
        expect(refusesPrecisely(() => decoder.decode(headers, body), AuthFailureError)).toBe(true);
      }),
      RUNS,
    );
  });
});
