import { describe, expect, it } from 'vitest';
import { groupKeyOf, signatureOf } from './fingerprint';

describe('exception signatures', () => {
  it('gives occurrences of one problem on different orders the same signature', () => {
    const a = signatureOf('POST /v1/orders answered 503 for order S00042 after 3012 ms (request 6f1c2a9e-7b1d-4e0f-9a51-0c7e2d8b1a33)');
    const b = signatureOf('POST /v1/orders answered 503 for order S00977 after 12 ms (request 0b2d1f7c-1111-4e0f-9a51-0c7e2d8b1a99)');
    expect(a).toBe(b);
    expect(a).toContain('POST /v<n>/orders answered <n> for order <ref>');
  });

  it('keeps different problems apart', () => {
    expect(signatureOf('unknown SKU in order line')).not.toBe(signatureOf('unknown location in order line'));
    const base = { category: 'partner_unavailable' as const, operation: 'POST /v1/orders', error: 'connect ECONNREFUSED 127.0.0.1:9101' };
    expect(groupKeyOf({ ...base, partner: 'wms-rest' }).key).not.toBe(groupKeyOf({ ...base, partner: 'edi-3pl' }).key);
    expect(groupKeyOf({ ...base, partner: 'wms-rest' }).key).toBe(groupKeyOf({ ...base, partner: 'wms-rest', error: 'connect ECONNREFUSED 127.0.0.1:9999' }).key);
  });

  it('drops emails and times, and uses the first line only', () => {
    expect(signatureOf('mail to ops@example.com failed at 2026-11-27T09:12:44.120Z\n  at stack frame')).toBe('mail to <email> failed at <time>');
  });
});
