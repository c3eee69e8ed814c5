/**
 * The exception classifier: an offline engine (taxonomy rules plus a learned model, no network).
 * See docs/classifier.md.
 */
export { ExceptionInput } from './types';
export type { Classification, Classifier, Engine, ExampleSource, LabelledExample } from './types';
export { createOfflineClassifier } from './offline';
export { redact } from './redact';
export { normalise } from './normalise';
