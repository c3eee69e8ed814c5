/**
 * Scores a classifier engine on the labelled exceptions in test/fixtures/exceptions/: accuracy
 * overall and per category, action accuracy, a confusion matrix (rows actual, columns
 * predicted) and latency per exception. The offline engine is the shipped one: its built-in
 * seed set and rules, nothing learned from this file (the held-out `test` split is never used
 * to tune it). `--learn train` first teaches it the train split, as operators' confirmations would.
 *
 *   npm run eval:classifier [-- --engine offline|llm] [--split test|train|all] [--learn train]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../src/lib/config';
import { createClassifier, createOfflineClassifier, ExceptionInput, type Classification, type Classifier } from '../src/lib/ai';
import { ExceptionCategory, RemediationAction } from '../src/lib/integration/taxonomy';

const Labelled = ExceptionInput.extend({ category: ExceptionCategory, action: RemediationAction, split: z.enum(['train', 'test']) }).strict();
type Labelled = z.infer<typeof Labelled>;

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'offline' },
    split: { type: 'string', default: 'test' },
    learn: { type: 'string' },
    file: { type: 'string', default: 'test/fixtures/exceptions/labelled.jsonl' },
    verbose: { type: 'boolean', default: false },
  },
});
const engine = z.enum(['offline', 'llm']).parse(values.engine);
const split = z.enum(['test', 'train', 'all']).parse(values.split);

const all = readFileSync(values.file!, 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line, i) => {
    const parsed = Labelled.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${values.file} line ${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    return parsed.data;
  });
const rows = all.filter((r) => split === 'all' || r.split === split);

let classifier: Classifier;
if (engine === 'offline') classifier = createOfflineClassifier();
else {
  const llm = loadConfig(process.env).llm;
  if (!llm.enabled) throw new Error('--engine llm needs OPENAI_BASE_URL or OPENAI_API_KEY');
  classifier = createClassifier(llm, { engine: 'llm' });
}
if (values.learn === 'train') for (const r of all.filter((x) => x.split === 'train')) classifier.learn({ input: inputOf(r), category: r.category, action: r.action });

const results: { row: Labelled; got: Classification }[] = [];
// Warm-up so one-off start costs (JIT, regex compilation) do not count as latency of the first exception.
if (engine === 'offline') for (const r of rows.slice(0, 20)) await classifier.classify(inputOf(r));
for (const row of rows) results.push({ row, got: await classifier.classify(inputOf(row)) });

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : '-');
const correct = results.filter((r) => r.got.category === r.row.category).length;
const actionCorrect = results.filter((r) => r.got.action === r.row.action).length;
console.log(`engine ${engine}${values.learn === 'train' ? ' (after learning the train split)' : ''}, split ${split}: ${rows.length} exceptions`);
console.log(`category accuracy ${pct(correct, rows.length)} (${correct}/${rows.length}), action accuracy ${pct(actionCorrect, rows.length)} (${actionCorrect}/${rows.length})`);
const fallbacks = results.filter((r) => r.got.fallbackReason).length;
if (engine === 'llm') console.log(`fallbacks to offline: ${fallbacks}`);

console.log('\nper category (actual)      n  correct  accuracy  mean confidence');
for (const c of ExceptionCategory.options) {
  const mine = results.filter((r) => r.row.category === c);
  if (!mine.length) continue;
  const ok = mine.filter((r) => r.got.category === c).length;
  const conf = mine.reduce((s, r) => s + r.got.confidence, 0) / mine.length;
  console.log(`  ${c.padEnd(22)} ${String(mine.length).padStart(3)}  ${String(ok).padStart(7)}  ${pct(ok, mine.length).padStart(8)}  ${conf.toFixed(2).padStart(15)}`);
}

const abbrev: Record<ExceptionCategory, string> = {
  partner_unavailable: 'PU', rate_limited: 'RL', auth_failure: 'AF', validation_error: 'VE', master_data_mismatch: 'MD',
  duplicate_event: 'DE', sequence_error: 'SE', inventory_mismatch: 'IM', sla_breach: 'SB', unknown: 'UN',
};
console.log('\nconfusion matrix (rows actual, columns predicted)');
console.log(`  ${''.padEnd(27)} ${ExceptionCategory.options.map((c) => abbrev[c].padStart(3)).join(' ')}`);
for (const actual of ExceptionCategory.options) {
  const cells = ExceptionCategory.options.map((predicted) => {
    const n = results.filter((r) => r.row.category === actual && r.got.category === predicted).length;
    return (n ? String(n) : '.').padStart(3);
  });
  console.log(`  ${`${actual} (${abbrev[actual]})`.padEnd(27)} ${cells.join(' ')}`);
}

const latencies = results.map((r) => r.got.latencyMs).sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(1)} ms`);
console.log(`\nlatency per exception: mean ${fmt(mean)}, p50 ${fmt(q(0.5))}, p95 ${fmt(q(0.95))}, max ${fmt(latencies[latencies.length - 1])}`);
if (engine === 'llm') {
  const prompt = results.reduce((s, r) => s + (r.got.usage?.promptTokens ?? 0), 0);
  const completion = results.reduce((s, r) => s + (r.got.usage?.completionTokens ?? 0), 0);
  console.log(`tokens: ${prompt} prompt, ${completion} completion`);
}

const wrong = results.filter((r) => r.got.category !== r.row.category);
if (values.verbose || (wrong.length && wrong.length <= 15)) {
  console.log('\nmisclassified:');
  for (const r of wrong) console.log(`  ${r.row.id} ${r.row.category} -> ${r.got.category} (${r.got.confidence}): ${r.row.error.slice(0, 100)}`);
}

function inputOf(r: Labelled): ExceptionInput {
  const { category: _c, action: _a, split: _s, ...input } = r;
  return input;
}
