import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '../../src/lib/integration/canonical';

/** A valid envelope for bus tests; every call gets a fresh id. */
export function anEnvelope(overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  const id = overrides.id ?? randomUUID();
  return {
    specversion: '1.0',
    id,
    source: 'crossdock/test',
    type: 'crossdock.order.released.v1',
    time: '2026-11-27T09:30:00.000Z',
    datacontenttype: 'application/json',
    correlationid: 'S00042',
    idempotencykey: `idem-${id}`,
    serviceclass: 'standard',
    data: { orderId: 'S00042' },
    ...overrides,
  };
}
