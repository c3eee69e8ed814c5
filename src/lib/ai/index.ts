/**
 * The exception classifier: an offline engine (taxonomy rules plus a learned model, no network)
 * and an LLM engine over any OpenAI-compatible endpoint that falls back to it. See docs/classifier.md.
 */
export { ExceptionInput } from './types';
export type { Classification, Classifier, Engine, ExampleSource, LabelledExample } from './types';
export { createOfflineClassifier } from './offline';
export { createLlmClassifier, type LlmClassifierOptions } from './llm.server';
export { createClassifier } from './classifier';
export { redact } from './redact';
export { normalise } from './normalise';
