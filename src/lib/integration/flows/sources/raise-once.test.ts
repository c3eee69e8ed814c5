import { afterEach, describe, expect, it } from 'vitest';
import { AcknowledgementOverdueError } from '../../connectors/edi-3pl';
import { openRuntimeDb, type RuntimeDb } from '../../store/runtime-db';
import { Attr } from '../../../telemetry/conventions';
import { captureSpans } from '../../../../../test/support/spans';
import { RaiseOnce } from './raise-once';

describe('RaiseOnce', () => {
  let db: RuntimeDb | undefined;
  afterEach(() => db?.close());

  it('raises a condition seen on every poll as one exception span, also across a restart', () => {
    const spans = captureSpans();
    db = openRuntimeDb(':memory:');
    const error = new AcknowledgementOverdueError('no 997 for the 940 of S00042 since 10:00', { orderId: 'S00042' });
    const attributes = { [Attr.correlationId]: 'S00042' };
    expect(new RaiseOnce(db).raise('edi-3pl:ack:S00042', 'overdue edi-3pl', attributes, error)).toBe(true);
    expect(new RaiseOnce(db).raise('edi-3pl:ack:S00042', 'overdue edi-3pl', attributes, error)).toBe(false);
    const raised = spans.getFinishedSpans().filter((s) => s.name === 'overdue edi-3pl');
    expect(raised).toHaveLength(1);
    expect(raised[0].attributes).toMatchObject({ [Attr.correlationId]: 'S00042', [Attr.exceptionCategory]: 'sla_breach' });
  });
});
