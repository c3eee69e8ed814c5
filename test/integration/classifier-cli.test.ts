import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { startOpenAiFake, type OpenAiFake } from '../support/openai-fake';

/** Runs `crossdock classify` with `stdin` piped in. */
const classify = (args: string[], stdin: string, env: Record<string, string> = {}) => runCli(['classify', ...args], env, stdin);

const lines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

let fake: OpenAiFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('crossdock classify', () => {
  it('classifies every line offline, one answer per line in order', async () => {
    const input = [
      { id: 'a', source: 'wms-rest', operation: 'POST /v2/orders', error: '429 Too Many Requests', http_status: 429 },
      { id: 'b', source: 'odoo', operation: 'common.authenticate', error: 'odoo.exceptions.AccessDenied: Access Denied' },
      { id: 'c', source: 'edi-3pl', operation: 'receive 997', error: 'AK5*R*5 for the 940', attempts: 1 },
    ];
    const { code, stdout } = await classify([], input.map((i) => JSON.stringify(i)).join('\n') + '\n');
    expect(code).toBe(0);
    expect(lines(stdout)).toEqual([
      { id: 'a', category: 'rate_limited', action: 'replay', confidence: expect.any(Number), engine: 'offline' },
      { id: 'b', category: 'auth_failure', action: 'escalate_partner', confidence: expect.any(Number), engine: 'offline' },
      { id: 'c', category: 'validation_error', action: 'manual_review', confidence: expect.any(Number), engine: 'offline' },
    ]);
    for (const line of lines(stdout)) expect(String(line.confidence)).toMatch(/^(0|1)(\.\d{1,2})?$/);
  });

  it('reports bad lines by number, skips blank ones, classifies the rest and exits 1', async () => {
    const stdin = [
      '{"id":"ok-1","source":"wms-rest","operation":"GET /v2/stock","error":"connect ECONNREFUSED 10.0.0.9:443"}',
      '',
      '{"id":"broken", "source":',
      '{"id":"no-error","source":"odoo","operation":"write"}',
      '{"id":"typo","source":"odoo","operation":"write","error":"boom","http_code":500}',
      '{"id":"ok-2","source":"odoo","operation":"apply stock count","error":"Odoo has no product with internal reference ZZ-1"}',
    ].join('\n');
    const { code, stdout } = await classify(['--engine', 'offline'], stdin);
    expect(code).toBe(1);
    const out = lines(stdout);
    expect(out).toHaveLength(5);
    expect(out[0]).toMatchObject({ id: 'ok-1', category: 'partner_unavailable' });
    expect(out[1]).toEqual({ line: 3, error: expect.stringMatching(/^line 3: not JSON/) });
    expect(out[2]).toEqual({ line: 4, error: 'line 4: error: required' });
    expect(out[3]).toEqual({ line: 5, error: 'line 5: unknown key "http_code"' });
    expect(out[4]).toMatchObject({ id: 'ok-2', category: 'master_data_mismatch', action: 'fix_master_data' });
  });

  it('refuses --engine llm without an endpoint, naming OPENAI_BASE_URL', async () => {
    const { code, stderr, stdout } = await classify(['--engine', 'llm'], '');
    expect(code).toBe(2);
    expect(stderr).toContain('OPENAI_BASE_URL');
    expect(stdout).toBe('');
  });

  it('uses the LLM when OPENAI_BASE_URL is set', async () => {
    fake = await startOpenAiFake([{ content: JSON.stringify({ category: 'sla_breach', action: 'replay', confidence: 0.8, rationale: 'no acknowledgement' }) }]);
    const stdin = '{"id":"s","source":"runtime","operation":"watch","error":"order S00001 waiting"}\n{"id":"t","source":"runtime","operation":"watch","error":"order S00002 waiting"}\n';
    const { code, stdout } = await classify([], stdin, { OPENAI_BASE_URL: fake.baseUrl });
    expect(code).toBe(0);
    expect(lines(stdout)).toEqual([
      { id: 's', category: 'sla_breach', action: 'replay', confidence: 0.8, engine: 'llm' },
      { id: 't', category: 'sla_breach', action: 'replay', confidence: 0.8, engine: 'llm' },
    ]);
    expect(fake.requests).toHaveLength(2);
  });

  it('streams a large input', async () => {
    const line = (i: number) => JSON.stringify({ id: `n${i}`, source: 'wms-rest', operation: 'POST /v2/orders', error: `POST /v2/orders answered 503 (attempt ${i})` });
    const count = 10_000;
    const { code, stdout } = await classify([], Array.from({ length: count }, (_, i) => line(i)).join('\n'));
    expect(code).toBe(0);
    const out = stdout.trim().split('\n');
    expect(out).toHaveLength(count);
    expect(JSON.parse(out[count - 1])).toMatchObject({ id: `n${count - 1}`, category: 'partner_unavailable' });
  });
});
