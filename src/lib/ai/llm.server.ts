import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { LlmAnswer } from './answer';
import { createOfflineClassifier } from './offline';
import { buildMessages } from './prompt';
import type { Classification, Classifier, ExampleSource, ExceptionInput, LabelledExample } from './types';

/** Local OpenAI-compatible servers (llama.cpp, Ollama, vLLM) need no key, but the SDK insists on one. */
const placeholderKey = 'no-key';
/** Operator-confirmed examples put in each prompt. */
const maxExamples = 5;

export interface LlmClassifierOptions {
  /** An OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1; unset means api.openai.com. */
  baseUrl?: string;
  apiKey?: string;
  model: string;
  /** Per request, in ms. @defaultValue 10000 */
  timeoutMs?: number;
  /** Recent human-confirmed examples for the prompt. */
  examples?: ExampleSource;
  /** Answers when the LLM cannot; the offline engine by default. */
  fallback?: Classifier;
}

type Outcome = { answer: LlmAnswer; model: string } | { invalid: string };

/**
 * The LLM engine: one chat completion per exception with a strict JSON-schema response format,
 * validated with zod. An invalid answer is asked for once more; a second invalid answer, a
 * timeout or any API error hands the exception to the fallback, with the reason recorded.
 * Everything sent is redacted first (see prompt.ts).
 */
export function createLlmClassifier(options: LlmClassifierOptions): Classifier {
  const timeoutMs = options.timeoutMs ?? 10_000;
  // Retries are ours (one, and only for invalid output): a timed-out call is not worth repeating
  // while an operator, or a CLI stream, waits.
  const client = new OpenAI({ baseURL: options.baseUrl, apiKey: options.apiKey ?? placeholderKey, maxRetries: 0, timeout: timeoutMs });
  const fallback = options.fallback ?? createOfflineClassifier();
  const responseFormat = zodResponseFormat(LlmAnswer, 'exception_classification');

  async function ask(messages: ReturnType<typeof buildMessages>, usage: { promptTokens: number; completionTokens: number }): Promise<Outcome> {
    // create() rather than parse(): the same request and the same zod validation, but the usage of an
    // answer we reject is still counted, and the rejection says precisely what was wrong.
    const completion = await client.chat.completions.create({ model: options.model, messages, temperature: 0, response_format: responseFormat });
    usage.promptTokens += completion.usage?.prompt_tokens ?? 0;
    usage.completionTokens += completion.usage?.completion_tokens ?? 0;
    const choice = completion.choices?.[0];
    if (!choice) return { invalid: 'no choices in the response' };
    if (choice.message.refusal) return { invalid: `the model refused: ${choice.message.refusal.slice(0, 200)}` };
    if (choice.finish_reason === 'length') return { invalid: 'the answer was cut off (finish_reason length)' };
    const content = choice.message.content ?? '';
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch {
      return { invalid: `not JSON: ${JSON.stringify(content.slice(0, 80))}` };
    }
    const parsed = LlmAnswer.safeParse(json);
    if (!parsed.success) return { invalid: parsed.error.issues.map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`).join('; ') };
    return { answer: parsed.data, model: completion.model || options.model };
  }

  return {
    engine: 'llm',
    learn: (example: LabelledExample) => fallback.learn(example),
    async classify(input: ExceptionInput): Promise<Classification> {
      const started = performance.now();
      const usage = { promptTokens: 0, completionTokens: 0 };
      let reason: string;
      try {
        const messages = buildMessages(input, await recentExamples(options.examples, input));
        let outcome = await ask(messages, usage);
        if ('invalid' in outcome) {
          const first = outcome.invalid;
          outcome = await ask(messages, usage);
          if ('invalid' in outcome) throw new InvalidAnswer(`invalid output twice (${first}; then ${outcome.invalid})`);
        }
        const { answer, model } = outcome;
        return { ...answer, confidence: Math.round(answer.confidence * 1000) / 1000, engine: 'llm', model, usage, latencyMs: performance.now() - started };
      } catch (error) {
        reason = failureReason(error, timeoutMs);
      }
      const offline = await fallback.classify(input);
      const spent = usage.promptTokens + usage.completionTokens > 0 ? { usage } : {};
      return { ...offline, ...spent, fallbackReason: reason, latencyMs: performance.now() - started };
    },
  };
}

class InvalidAnswer extends Error {}

async function recentExamples(source: ExampleSource | undefined, input: ExceptionInput): Promise<LabelledExample[]> {
  if (!source) return [];
  try {
    return (await source.recent(input, maxExamples)).slice(0, maxExamples);
  } catch {
    // The examples only sharpen the prompt; the console's database being busy is no reason not to classify.
    return [];
  }
}

function failureReason(error: unknown, timeoutMs: number): string {
  if (error instanceof InvalidAnswer) return error.message;
  if (error instanceof APIConnectionTimeoutError) return `the LLM did not answer within ${timeoutMs} ms`;
  if (error instanceof APIConnectionError) return `cannot reach the LLM endpoint: ${(error.cause as Error | undefined)?.message ?? error.message}`;
  if (error instanceof APIError) return `the LLM endpoint answered HTTP ${error.status ?? '?'}: ${error.message.slice(0, 200)}`;
  return `the LLM call failed: ${(error as Error).message ?? String(error)}`;
}
