import { ExceptionCategory, type RemediationAction } from '../integration/taxonomy';
import { recommendAction } from './actions';
import { NaiveBayes } from './naive-bayes';
import { normalise } from './normalise';
import { seedExamples } from './seed-examples';
import { fireSignals, type SignalRule } from './signals';
import type { Classification, Classifier, ExceptionInput, LabelledExample } from './types';

/** How strongly the learned model speaks relative to the rules (its mean log-likelihoods are small numbers). */
const modelWeight = 4;
/** A category's rules add up, but several phrasings of one signal are not independent evidence. */
const maxRuleEvidence = 6;
/** An operator-confirmed exception this similar (cosine of token sets) to the input counts as strong evidence. */
const recallSimilarity = 0.5;
const recallWeight = 8;
/** Below this confidence the answer is `unknown`: the engine is guessing. */
const minConfidence = 0.4;
/** Corrections kept for recall; the model itself keeps learning from all of them. */
const maxRemembered = 2_000;
/** A correction counts as much as this many seed examples: it is recent and a person checked it. */
const correctionWeight = 3;

interface Remembered {
  id: string;
  tokens: Set<string>;
  category: ExceptionCategory;
  action: RemediationAction;
}

/**
 * The offline engine: taxonomy signal rules plus a naive Bayes model trained on a built-in seed
 * set and on every operator correction. Deterministic, no network, a few microseconds per exception.
 */
export function createOfflineClassifier(options: { examples?: LabelledExample[] } = {}): Classifier {
  const model = new NaiveBayes();
  for (const [category, source, operation, error, http_status] of seedExamples) model.add(normalise({ source, operation, error, http_status }).tokens, category);
  const remembered: Remembered[] = [];

  const learn = (example: LabelledExample) => {
    const tokens = normalise(example.input).tokens;
    model.add(tokens, example.category, correctionWeight);
    remembered.push({ id: example.input.id, tokens: recallTokens(tokens), category: example.category, action: example.action });
    if (remembered.length > maxRemembered) remembered.shift();
  };
  for (const example of options.examples ?? []) learn(example);

  return {
    engine: 'offline',
    learn,
    async classify(input: ExceptionInput): Promise<Classification> {
      return classifySync(input);
    },
  };

  function classifySync(input: ExceptionInput): Classification {
    const started = performance.now();
    const features = normalise(input);
    const fired = fireSignals(features);
    const recalled = recall(recallTokens(features.tokens));
    const likelihood = model.score(features.tokens);

    const scores = new Map<ExceptionCategory, number>();
    for (const c of ExceptionCategory.options) {
      const ruleEvidence = Math.min(maxRuleEvidence, fired.filter((r) => r.category === c).reduce((sum, r) => sum + r.weight, 0));
      const recallEvidence = recalled && recalled.entry.category === c ? recallWeight * recalled.similarity : 0;
      scores.set(c, modelWeight * likelihood.get(c)! + ruleEvidence + recallEvidence);
    }
    const probabilities = softmax(scores);
    const ranked = [...probabilities].sort((a, b) => b[1] - a[1]);
    const [best, bestP] = ranked[0];
    const modelBest = [...likelihood].sort((a, b) => b[1] - a[1])[0][0];
    const supportingRules = fired.filter((r) => r.category === best);
    const recalledHere = recalled?.entry.category === best ? recalled : undefined;
    // The model alone, with no taxonomy signal and no similar confirmed case, is a weaker witness.
    // Never claim certainty: a message can always mean something its words do not say.
    const confidence = Math.min(0.99, supportingRules.length || recalledHere ? bestP : bestP * 0.7);

    let category: ExceptionCategory = best;
    let action: RemediationAction;
    let actionWhy: string;
    if (confidence < minConfidence) {
      category = 'unknown';
      ({ action, why: actionWhy } = recommendAction('unknown', input));
    } else if (recalledHere && recalledHere.similarity >= 0.7) {
      action = recalledHere.entry.action;
      actionWhy = `what the operator chose for ${recalledHere.entry.id}`;
    } else ({ action, why: actionWhy } = recommendAction(category, input));

    const rationale = explain({ category, best, confidence, fired, supportingRules, modelBest, evidence: model.evidence(features.tokens, best), recalled: recalledHere, action, actionWhy });
    return { category, action, confidence: round(confidence), rationale, engine: 'offline', latencyMs: performance.now() - started };
  }

  function recall(tokens: Set<string>): { entry: Remembered; similarity: number } | undefined {
    let best: { entry: Remembered; similarity: number } | undefined;
    for (const entry of remembered) {
      let shared = 0;
      for (const t of tokens) if (entry.tokens.has(t)) shared++;
      const similarity = shared / Math.sqrt(tokens.size * entry.tokens.size || 1);
      if (similarity >= recallSimilarity && (!best || similarity >= best.similarity)) best = { entry, similarity };
    }
    return best;
  }
}

/**
 * The words of the message itself: what makes two exceptions "the same problem". Source and
 * operation are left out (two unrelated failures of one endpoint share them), and so are
 * placeholders and word pairs.
 */
function recallTokens(tokens: readonly string[]): Set<string> {
  return new Set(tokens.filter((t) => !/__|~$|^src_|^op_|^num$|^ref$|^path$|^uuid$/.test(t)));
}

function explain(p: {
  category: ExceptionCategory;
  best: ExceptionCategory;
  confidence: number;
  fired: SignalRule[];
  supportingRules: SignalRule[];
  modelBest: ExceptionCategory;
  evidence: string[];
  recalled?: { entry: Remembered; similarity: number };
  action: RemediationAction;
  actionWhy: string;
}): string {
  const parts: string[] = [];
  if (p.category === 'unknown' && p.best !== 'unknown')
    parts.push(`No category stands out: the best guess, ${p.best}, has confidence ${round(p.confidence)}, too low to act on.`);
  else parts.push(`Classified as ${p.category} with confidence ${round(p.confidence)}.`);
  if (!p.fired.length && !p.recalled) parts.push('No taxonomy signal matched.');
  if (p.supportingRules.length) parts.push(`Taxonomy signals: ${unique(p.supportingRules.map((r) => r.label)).join(', ')}.`);
  const against = p.fired.filter((r) => r.category !== p.best);
  if (against.length) parts.push(`Signals pointing elsewhere: ${unique(against.map((r) => `${r.label} (${r.category})`)).join(', ')}.`);
  if (p.recalled) parts.push(`Similar to operator-confirmed exception ${p.recalled.entry.id} (similarity ${round(p.recalled.similarity)}).`);
  const words = p.evidence.length ? ` (words: ${p.evidence.join(', ')})` : '';
  if (p.modelBest === p.best) parts.push(`The learned model agrees${words}.`);
  else parts.push(`The learned model leaned towards ${p.modelBest}.`);
  parts.push(`Suggested action ${p.action}: ${p.actionWhy}.`);
  return parts.join(' ');
}

function softmax(scores: Map<ExceptionCategory, number>): Map<ExceptionCategory, number> {
  const max = Math.max(...scores.values());
  const exp = new Map([...scores].map(([c, s]) => [c, Math.exp(s - max)] as const));
  const total = [...exp.values()].reduce((a, b) => a + b, 0);
  return new Map([...exp].map(([c, e]) => [c, e / total] as const));
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const unique = <T>(items: T[]) => [...new Set(items)];
