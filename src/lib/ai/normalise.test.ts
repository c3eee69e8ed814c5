import { describe, expect, it } from 'vitest';
import { normalise, placeholders, stem } from './normalise';

const features = (error: string, extra: { http_status?: number; source?: string; operation?: string } = {}) =>
  normalise({ source: extra.source ?? 'wms-rest', operation: extra.operation ?? 'POST /v2/orders', error, http_status: extra.http_status });

describe('normalise', () => {
  it('turns volatile values into placeholders so two occurrences of one failure look alike', () => {
    const a = features('order S00042 (3f2a1c4e-1111-2222-3333-444455556666): unknown SKU-4711 in /inbound/orders/ORD_1.csv');
    const b = features('order S00977 (0b9e7a12-aaaa-bbbb-cccc-ddddeeeeffff): unknown SKU-88 in /inbound/orders/ORD_2.csv');
    expect(a.tokens).toEqual(b.tokens);
    expect(placeholders('unknown SKU-4711 at https://wms.example/v1?x=1 for ops@acme.com')).toBe('unknown sku- num at url for email');
  });

  it('reads the HTTP status from the field and from the wording', () => {
    expect(features('boom', { http_status: 503 }).signals).toEqual(expect.arrayContaining(['http_503', 'http_5xx']));
    expect(features('POST /orders answered 429').signals).toContain('http_429');
    expect(features('upstream said 502 Bad Gateway').signals).toContain('http_502');
    expect(features('Service Unavailable').signals).toContain('http_503');
    expect(features('line 429 of the file is empty').signals).toEqual([]);
  });

  it('keeps X12 acknowledgement codes as signals', () => {
    expect(features('AK5*R*5 / AK9*R*1*1*0').signals).toEqual(expect.arrayContaining(['ak5_r', 'ak9_r']));
    expect(features('no 997 within 4 hours').signals).toContain('x12_997');
  });

  it('splits exception class names and joins word variants', () => {
    const tokens = features('odoo.exceptions.AccessDenied: Access Denied').tokens;
    expect(tokens).toContain('access');
    expect(tokens).toContain('deni');
    expect(stem('throttled')).toBe(stem('throttling'));
    expect(stem('duplicates')).toBe(stem('duplicate'));
  });

  it('adds source and operation tokens', () => {
    const tokens = features('boom', { source: 'edi-3pl', operation: 'receive 997' }).tokens;
    expect(tokens).toEqual(expect.arrayContaining(['src_edi_3pl', 'op_receiv']));
  });

  it('keeps the numbers in the text that rules read', () => {
    expect(features('stock difference qty wms 12 odoo 15').text).toContain('wms 12 odoo 15');
  });
});
