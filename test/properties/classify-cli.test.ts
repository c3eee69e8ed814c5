import fc from 'fast-check';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { classifyStream } from '../../src/cli/commands/classify';
import { createOfflineClassifier } from '../../src/lib/ai';
import { runCli } from '../support/cli';

/**
 * Property-based tests (fast-check) of `crossdock classify`, which reads exceptions as JSON Lines:
 * whatever the input, every non-blank line gets one answer in order (its classification, or
 * `{"line":N,"error":"line N: …"}` naming what is wrong), the good lines among bad ones are still
 * classified, the exit code is 1 exactly when a line was bad, and nothing else (no stack trace).
 * The properties call the command's stream function in-process; two cases run the real CLI.
 */

const RUNS = { numRuns: 150 };
const classifier = createOfflineClassifier();

/** Runs the command's stream function over `input`; returns its exit code and answers. */
async function classify(input: string | Uint8Array) {
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk) => (text += chunk));
  const code = await classifyStream(classifier, Readable.from([Buffer.from(input)]), output);
  return { code, answers: text.split('\n').slice(0, -1).map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** Numbers and contents of the lines the command answers: as readline splits them (\r\n, \n or a lone \r), blank ones left out. */
const linesOf = (input: string | Uint8Array) =>
  Buffer.from(input)
    .toString('utf8')
    .split(/\r\n|\n|\r/)
    .map((text, i) => ({ number: i + 1, text }))
    .filter((l) => l.text.trim() !== '');

/** One answer per line, in order, each a classification of that line's record or an error naming the line. */
function expectAnswered(input: string | Uint8Array, result: { code: number; answers: Record<string, unknown>[] }) {
  const lines = linesOf(input);
  expect(result.answers).toHaveLength(lines.length);
  lines.forEach(({ number, text }, i) => {
    const answer = result.answers[i];
    if ('error' in answer) expect(answer).toEqual({ line: number, error: expect.stringMatching(new RegExp(`^line ${number}: \\S`)) });
    else expect(answer).toEqual({ id: JSON.parse(text).id, category: expect.any(String), action: expect.any(String), confidence: expect.any(Number), engine: 'offline' });
  });
  expect(result.code).toBe(result.answers.some((a) => 'error' in a) ? 1 : 0);
}

const text = (max = 40) => fc.string({ minLength: 1, maxLength: max, unit: 'binary' });
const record = fc.record(
  { id: text(), source: text(), operation: text(), error: text(200), http_status: fc.integer({ min: 100, max: 599 }), attempts: fc.nat() },
  { requiredKeys: ['id', 'source', 'operation', 'error'] },
);

/** What is wrong with a bad record: the field, and the words its error must contain. */
type Defect = { field: string; apply: (r: Record<string, unknown>) => void; says: string[] };
const strings = ['id', 'source', 'operation', 'error'] as const;
const set = (field: string, value: unknown, says: string): Defect => ({ field, apply: (r) => Object.defineProperty(r, field, { value, enumerable: true, configurable: true }), says: [says] });
const defect: fc.Arbitrary<Defect> = fc.oneof(
  fc.constantFrom(...strings).map((f): Defect => ({ field: f, apply: (r) => delete r[f], says: [`${f}: required`] })),
  fc.tuple(fc.constantFrom(...strings), fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string()))).map(([f, v]) => set(f, v, `${f}: must be a string`)),
  fc.constantFrom(...strings).map((f) => set(f, '', `${f}: must not be empty`)),
  fc.oneof(fc.integer({ max: 99 }), fc.integer({ min: 600 })).map((n) => set('http_status', n, 'http_status: must be an HTTP status, 100 to 599')),
  fc.integer({ min: 100, max: 598 }).map((n) => set('http_status', n + 0.5, 'http_status: must be a whole number')),
  fc.oneof(fc.string(), fc.boolean()).map((v) => set('http_status', v, 'http_status: must be a number')),
  fc.integer({ max: -1 }).map((n) => set('attempts', n, 'attempts: must not be negative')),
  // Several unknown keys are listed together: `unknown keys "a", "b"`.
  fc.constantFrom('http_code', 'message', 'ID', '__proto__', 'constructor').map((k): Defect => ({ ...set(k, 1, 'unknown key'), says: ['unknown key', `"${k}"`] })),
);

/** A line of a JSON Lines file, with what its answer must say: a record's id, or the words of its error. */
const line: fc.Arbitrary<{ text: string; id?: string; says: string[] }> = fc.oneof(
  { weight: 3, arbitrary: record.map((r) => ({ text: JSON.stringify(r), id: r.id, says: [] })) },
  { weight: 3, arbitrary: fc.tuple(record, fc.uniqueArray(defect, { minLength: 1, maxLength: 3, selector: (d) => d.field })).map(([r, ds]) => {
    const bad: Record<string, unknown> = { ...r };
    for (const d of ds) d.apply(bad);
    return { text: JSON.stringify(bad), says: ds.flatMap((d) => d.says) };
  }) },
  fc.jsonValue({ maxDepth: 3 }).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)).map((v) => ({ text: JSON.stringify(v), says: ['expected a JSON object'] })),
  record.chain((r) => fc.nat(JSON.stringify(r).length - 2).map((cut) => ({ text: JSON.stringify(r).slice(0, cut + 1), says: ['not JSON ('] }))),
);

describe('crossdock classify with any input', () => {
  it('answers any bytes with one answer per non-blank line: a classification or an error naming the line', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 300 }).map((s) => Buffer.from(s))), async (bytes) => {
        expectAnswered(bytes, await classify(bytes));
      }),
      RUNS,
    );
  });

  it('answers JSON Lines of any shape line by line, naming each wrong field and unknown key, and still classifies the good lines', async () => {
    const eol = fc.constantFrom('\n', '\r\n');
    const blank = fc.constantFrom('', '   ', '\t');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(line, fc.option(blank, { nil: undefined })), { minLength: 1, maxLength: 12 }), eol, async (items, newline) => {
        const input = items.flatMap(([l, b]) => (b === undefined ? [l.text] : [l.text, b])).join(newline);
        const result = await classify(input);
        expectAnswered(input, result);
        const expected = items.map(([l]) => l);
        expected.forEach((l, i) => {
          const answer = result.answers[i];
          if (l.id !== undefined) expect(answer.id).toBe(l.id);
          for (const words of l.says) expect(String(answer.error)).toContain(words);
        });
      }),
      RUNS,
    );
  });

  it('classifies a record whatever its text holds, long lines within a bounded time (no regular expression runs away)', async () => {
    const alphabet = fc.subarray(['a', 'b', '0', '9', '.', '/', '@', ' ', '-', '_', ':', '(', ',', '*', '%', '+', 'é', 'Z'], { minLength: 1, maxLength: 4 });
    const long = fc.tuple(alphabet, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1_000, max: 200_000 })).map(([chars, period, length]) => {
      const word = Array.from({ length: period }, (_, i) => chars[i % chars.length]).join('');
      return word.repeat(Math.ceil(length / word.length)).slice(0, length);
    });
    await fc.assert(
      fc.asyncProperty(long, fc.constantFrom('error', 'operation'), async (value, field) => {
        const input = JSON.stringify({ id: 'long', source: 'wms-rest', operation: 'POST /v2/orders', error: 'failed', [field]: value });
        const started = performance.now();
        const { code, answers } = await classify(input);
        expect(performance.now() - started).toBeLessThan(5_000);
        expect({ code, answers }).toEqual({ code: 0, answers: [expect.objectContaining({ id: 'long', engine: 'offline' })] });
      }),
      { numRuns: 25 },
    );
  });
});

describe('crossdock classify, the real command', () => {
  it('reports a bad line by number on stdout, classifies the rest, exits 1, and prints no stack trace', async () => {
    const stdin = ['{"id":"a","source":"odoo","operation":"write","error":"Access Denied"}', '', '\u0000{"id":', '{"id":"b","source":"wms-rest","operation":"GET /v2/stock","error":"503 Service Unavailable","http_status":"503"}', '[]', '{"id":"c","source":"edi-3pl","operation":"receive 997","error":"AK5*R*5"}'].join('\r\n');
    const { code, stdout, stderr } = await runCli(['classify', '--engine', 'offline'], {}, stdin);
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
    const answers = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(answers).toEqual([
      expect.objectContaining({ id: 'a', category: 'auth_failure' }),
      { line: 3, error: expect.stringMatching(/^line 3: not JSON \(/) },
      { line: 4, error: 'line 4: http_status: must be a number' },
      { line: 5, error: 'line 5: expected a JSON object' },
      expect.objectContaining({ id: 'c', category: 'validation_error' }),
    ]);
  });

  it('answers binary garbage with one error per line and exit 1, nothing on stderr', async () => {
    const garbage = Buffer.from(Array.from({ length: 2_000 }, (_, i) => (i * 7919 + 13) % 256)).toString('latin1');
    const { code, stdout, stderr } = await runCli(['classify'], {}, garbage);
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
    const answers = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(answers.length).toBeGreaterThan(0);
    for (const answer of answers) expect(answer).toEqual({ line: expect.any(Number), error: expect.stringMatching(/^line \d+: /) });
  });
});
