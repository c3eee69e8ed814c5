import { describe, expect, it } from 'vitest';
import { aReturn } from '../../../../test/factories/canonical';
import { expectIssue, expectRoundTrip } from '../../../../test/factories/schema-assertions';
import { Return } from './return';

describe('Return', () => {
  it('accepts a received return with its reason and line conditions', () => {
    const received = expectRoundTrip(Return, aReturn());
    expect(received.reason).toBe('damaged');
    expect(received.lines[0]).toEqual({ sku: 'HX-1001', quantity: '2', uom: 'Units', condition: 'damaged' });
  });

  it('names the field at fault', () => {
    expectIssue(Return, aReturn({ lines: [] }), 'lines', 'a return needs at least one line');
    expectIssue(Return, aReturn({ reason: 'changed mind' }), 'reason', /Invalid option/);
    expectIssue(Return, aReturn({ lines: [{ sku: 'HX-1001', quantity: 1, uom: 'Units', condition: 'new' }] }), 'lines.0.condition', /Invalid option/);
    expectIssue(Return, aReturn({ note: 'x'.repeat(2001) }), 'note', /2000/);
  });
});
