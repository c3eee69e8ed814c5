import { describe, expect, it } from 'vitest';
import { createOfflineClassifier } from './offline';
import type { ExceptionInput } from './types';

const input = (error: string, extra: Partial<ExceptionInput> = {}): ExceptionInput => ({ id: 'EX-T', source: 'wms-rest', operation: 'POST /v2/orders', error, ...extra });

describe('offline classifier', () => {
  // Wordings written for this test, not in the seed set or the labelled fixtures.
  it.each([
    ['Partner API says: slow down, you have hit 100 requests per second', 'rate_limited', 'replay'],
    ['connect ECONNREFUSED 10.1.2.3:8443 while posting the pick list', 'partner_unavailable', 'replay'],
    ['odoo.exceptions.AccessDenied: Wrong login/password', 'auth_failure', 'escalate_partner'],
    ['AK5*R*5 returned for transaction set 0042 of the 940', 'validation_error', 'manual_review'],
    ['unknown product code BLU-77 on order line 3', 'master_data_mismatch', 'fix_master_data'],
    ['event shipment.confirmed for SHP-9 was already processed yesterday', 'duplicate_event', 'discard_duplicate'],
    ['cannot move picking WH/OUT/00077 from cancel to done: invalid state transition', 'sequence_error', 'manual_review'],
    ['reconciliation: WMS has 7 units of TB-9, Odoo has 9', 'inventory_mismatch', 'manual_review'],
    ['no acknowledgement from the 3PL within 30 minutes for order S00123', 'sla_breach', 'replay'],
  ] as const)('classifies an unseen wording: %s', async (error, category, action) => {
    const result = await createOfflineClassifier().classify(input(error));
    expect(result).toMatchObject({ category, action, engine: 'offline' });
    expect(result.confidence).toBeGreaterThan(0.5);
  });

  it('says unknown with low confidence when nothing points anywhere', async () => {
    const result = await createOfflineClassifier().classify(input('the frobnicator is sad'));
    expect(result.category).toBe('unknown');
    expect(result.action).toBe('manual_review');
    expect(result.confidence).toBeLessThan(0.5);
    expect(result.rationale).toMatch(/no taxonomy signal/i);
  });

  it('is surer when the rules and the model agree than when only the model speaks', async () => {
    const classifier = createOfflineClassifier();
    const strong = await classifier.classify(input('429 Too Many Requests; Retry-After: 30', { http_status: 429 }));
    const weak = await classifier.classify(input('the partner told us to wait a while'));
    expect(strong.confidence).toBeGreaterThan(0.9);
    expect(weak.confidence).toBeLessThan(strong.confidence);
  });

  it('names the signals it used in the rationale', async () => {
    const result = await createOfflineClassifier().classify(input('503 Service Unavailable', { http_status: 503 }));
    expect(result.rationale).toContain('partner_unavailable');
    expect(result.rationale).toContain('HTTP 5xx');
    expect(result.rationale).toContain('replay');
  });

  it('suggests rerouting a missed acknowledgement after several re-sends', async () => {
    const classifier = createOfflineClassifier();
    expect((await classifier.classify(input('order S00200 not acknowledged within 2 minutes', { attempts: 1 }))).action).toBe('replay');
    expect((await classifier.classify(input('order S00200 not acknowledged within 2 minutes', { attempts: 4 }))).action).toBe('reroute');
  });

  it('learns from an operator correction: a later, similar exception follows it', async () => {
    const classifier = createOfflineClassifier();
    const before = await classifier.classify(input('Kafka bridge: topic partition leader not available for wh-events-3', { source: 'runtime' }));
    expect(before.category).not.toBe('partner_unavailable');

    classifier.learn({ input: input('Kafka bridge: topic partition leader not available for wh-events-1', { id: 'EX-77', source: 'runtime' }), category: 'partner_unavailable', action: 'replay' });
    const after = await classifier.classify(input('Kafka bridge: partition leader not available for topic wh-events-9', { source: 'runtime' }));
    expect(after).toMatchObject({ category: 'partner_unavailable', action: 'replay' });
    expect(after.rationale).toContain('EX-77');
  });

  it('starts from labelled examples given at creation', async () => {
    const example = { input: input('Kafka bridge: topic partition leader not available', { id: 'EX-78' }), category: 'partner_unavailable' as const, action: 'replay' as const };
    const result = await createOfflineClassifier({ examples: [example] }).classify(input('Kafka bridge: partition leader not available again'));
    expect(result.category).toBe('partner_unavailable');
  });

  it('gives the same answer every time', async () => {
    const classifier = createOfflineClassifier();
    const a = await classifier.classify(input('read ECONNRESET'));
    const b = await classifier.classify(input('read ECONNRESET'));
    expect({ ...a, latencyMs: 0 }).toEqual({ ...b, latencyMs: 0 });
  });
});
