import { afterEach, describe, expect, it } from 'vitest';
import { createLlmClassifier, createClassifier, type ExceptionInput, type LabelledExample } from '../../src/lib/ai';
import { startOpenAiFake, type OpenAiFake } from '../support/openai-fake';

const answer = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ category: 'auth_failure', action: 'escalate_partner', confidence: 0.91, rationale: 'HTTP 401 and an expired token.', ...extra });

const exception: ExceptionInput = {
  id: 'EX-1',
  source: 'wms-rest',
  operation: 'GET /v2/orders',
  error: 'Unauthorized for ops.lead@acme-logistics.com (call +44 20 7946 0958): api_key=sk-live-9f8e7d6c5b4a39281706 expired',
  http_status: 401,
};

let fake: OpenAiFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('LLM classifier against an OpenAI-compatible server', () => {
  it('uses a valid structured answer and records the model, tokens and latency', async () => {
    fake = await startOpenAiFake([{ content: answer(), usage: { prompt_tokens: 812, completion_tokens: 41 }, model: 'fake-mini-2025' }]);
    const result = await createLlmClassifier({ baseUrl: fake.baseUrl, apiKey: 'sk-test', model: 'fake-mini' }).classify(exception);

    expect(result).toMatchObject({ category: 'auth_failure', action: 'escalate_partner', confidence: 0.91, engine: 'llm', model: 'fake-mini-2025', usage: { promptTokens: 812, completionTokens: 41 } });
    expect(result.rationale).toBe('HTTP 401 and an expired token.');
    expect(result.latencyMs).toBeGreaterThan(0);
    expect(result.fallbackReason).toBeUndefined();
    const body = fake.requests[0].body as { model: string; response_format: { type: string; json_schema: { strict: boolean } } };
    expect(body.model).toBe('fake-mini');
    expect(body.response_format.type).toBe('json_schema');
    expect(body.response_format.json_schema.strict).toBe(true);
    expect(fake.requests[0].headers.authorization).toBe('Bearer sk-test');
  });

  it('asks once more after an invalid answer and uses the second', async () => {
    fake = await startOpenAiFake([{ content: answer({ category: 'cosmic_rays' }) }, { content: answer() }]);
    const result = await createLlmClassifier({ baseUrl: fake.baseUrl, model: 'fake-mini' }).classify(exception);
    expect(fake.requests).toHaveLength(2);
    expect(result).toMatchObject({ engine: 'llm', category: 'auth_failure', usage: { promptTokens: 200, completionTokens: 40 } });
  });

  it('falls back to the offline engine after two invalid answers, saying why', async () => {
    fake = await startOpenAiFake([{ content: 'Sure! The category is auth_failure.' }, { content: answer({ confidence: 7 }) }]);
    const result = await createLlmClassifier({ baseUrl: fake.baseUrl, model: 'fake-mini' }).classify(exception);
    expect(fake.requests).toHaveLength(2);
    expect(result.engine).toBe('offline');
    expect(result.category).toBe('auth_failure');
    expect(result.fallbackReason).toMatch(/invalid output twice \(not JSON: .*; then confidence: /);
    expect(result.usage).toEqual({ promptTokens: 200, completionTokens: 40 });
  });

  it('falls back when the LLM does not answer in time', async () => {
    fake = await startOpenAiFake([{ content: answer(), delayMs: 2_000 }]);
    const started = Date.now();
    const result = await createLlmClassifier({ baseUrl: fake.baseUrl, model: 'fake-mini', timeoutMs: 200 }).classify(exception);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(result.engine).toBe('offline');
    expect(result.fallbackReason).toBe('the LLM did not answer within 200 ms');
    expect(fake.requests).toHaveLength(1);
  });

  it('falls back on an HTTP error without retrying it', async () => {
    fake = await startOpenAiFake([{ status: 500 }]);
    const result = await createLlmClassifier({ baseUrl: fake.baseUrl, model: 'fake-mini' }).classify(exception);
    expect(result.engine).toBe('offline');
    expect(result.fallbackReason).toMatch(/answered HTTP 500/);
    expect(fake.requests).toHaveLength(1);
  });

  it('sends no email address, phone number or API key, from the exception or the examples', async () => {
    fake = await startOpenAiFake([{ content: answer() }]);
    const examples: LabelledExample[] = [
      { input: { id: 'EX-0', source: 'odoo', operation: 'login', error: 'AccessDenied for billing@acme-logistics.com, password=Winter2025!' }, category: 'auth_failure', action: 'escalate_partner' },
    ];
    await createLlmClassifier({ baseUrl: fake.baseUrl, apiKey: 'sk-test', model: 'fake-mini', examples: { recent: () => examples } }).classify(exception);

    const wire = fake.requests[0].raw;
    for (const secret of ['ops.lead@acme-logistics.com', '7946 0958', 'sk-live-9f8e7d6c5b4a39281706', '9f8e7d6c5b4a', 'billing@acme-logistics.com', 'Winter2025!'])
      expect(wire).not.toContain(secret);
    expect(wire).toContain('[email]');
    expect(wire).toContain('[phone]');
    expect(wire).toContain('api_key=[secret]');
  });

  it('puts the taxonomy and at most five recent confirmed examples in the prompt', async () => {
    fake = await startOpenAiFake([{ content: answer() }]);
    const asked: { input: ExceptionInput; limit: number }[] = [];
    const examples = Array.from({ length: 7 }, (_, i): LabelledExample => ({
      input: { id: `EX-${i}`, source: 'edi-3pl', operation: 'receive 997', error: `997 rejected 940 number ${i} with AK5*R` },
      category: 'validation_error',
      action: 'manual_review',
    }));
    const recent = (input: ExceptionInput, limit: number) => {
      asked.push({ input, limit });
      return Promise.resolve(examples);
    };
    await createLlmClassifier({ baseUrl: fake.baseUrl, model: 'fake-mini', examples: { recent } }).classify(exception);

    expect(asked).toEqual([{ input: exception, limit: 5 }]);
    const messages = (fake.requests[0].body.messages as { role: string; content: string }[]).map((m) => m.content).join('\n');
    for (const category of ['partner_unavailable', 'rate_limited', 'auth_failure', 'validation_error', 'master_data_mismatch', 'duplicate_event', 'sequence_error', 'inventory_mismatch', 'sla_breach', 'unknown'])
      expect(messages).toContain(`- ${category}:`);
    expect(messages).toContain('Default action: fix_master_data');
    expect(messages).toContain('997 rejected 940 number 4 with AK5*R');
    expect(messages).not.toContain('997 rejected 940 number 5');
    expect(messages).toContain('=> category validation_error, action manual_review');
  });

  it('sends a placeholder key to a local server configured without one', async () => {
    fake = await startOpenAiFake([{ content: answer() }]);
    const classifier = createClassifier({ baseUrl: fake.baseUrl, apiKey: undefined, model: 'local-model' });
    expect(classifier.engine).toBe('llm');
    expect((await classifier.classify(exception)).engine).toBe('llm');
    expect(fake.requests[0].headers.authorization).toMatch(/^Bearer \S+/);
  });

  it('is offline when configuration names no endpoint and no key', () => {
    expect(createClassifier({ baseUrl: undefined, apiKey: undefined, model: 'gpt-4o-mini' }).engine).toBe('offline');
  });
});
