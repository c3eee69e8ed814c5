import type { LlmConfig } from '../config';
import { createLlmClassifier } from './llm.server';
import { createOfflineClassifier } from './offline';
import type { Classifier, Engine, ExampleSource } from './types';

/**
 * The classifier configuration asks for: the LLM engine (with the offline engine as its
 * fallback) when an endpoint or key is configured, otherwise the offline engine. `engine`
 * forces one; forcing `llm` without an endpoint or key uses api.openai.com with no key, which
 * fails over to offline on every call, so callers should refuse that combination up front.
 */
export function createClassifier(llm: Pick<LlmConfig, 'baseUrl' | 'apiKey' | 'model'> & Partial<Pick<LlmConfig, 'timeoutMs'>>, options: { examples?: ExampleSource; engine?: Engine } = {}): Classifier {
  const engine = options.engine ?? (llm.baseUrl !== undefined || llm.apiKey !== undefined ? 'llm' : 'offline');
  if (engine === 'offline') return createOfflineClassifier();
  return createLlmClassifier({ baseUrl: llm.baseUrl, apiKey: llm.apiKey, model: llm.model, timeoutMs: llm.timeoutMs, examples: options.examples, fallback: createOfflineClassifier() });
}
