import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTraceRequest, OtlpDecodeError } from '../../src/lib/collectors/otlp/codec';
import { ValidationError } from '../../src/lib/integration/errors';
import { Columns, readCsv, writeCsv } from '../../src/lib/integration/connectors/wms-batch/csv-files';
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
