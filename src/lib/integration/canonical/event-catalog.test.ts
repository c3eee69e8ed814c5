import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../errors';
import { EventCatalog, splitType } from './event-catalog';

// A made-up history: v1 had a single `name`; v2 split it; v3 added a required channel.
const V1 = z.object({ orderId: z.string(), name: z.string() });
const V2 = z.object({ orderId: z.string(), firstName: z.string(), lastName: z.string() });
const V3 = V2.extend({ channel: z.enum(['web', 'edi', 'phone']) });

const catalog = () =>
  new EventCatalog()
    .define('crossdock.customer.registered', 1, V1)
    .define('crossdock.customer.registered', 2, V2, (previous) => {
      const { name, ...rest } = previous as z.infer<typeof V1>;
      const [firstName, ...others] = name.split(' ');
      return { ...rest, firstName, lastName: others.join(' ') };
    })
    .define('crossdock.customer.registered', 3, V3, (previous) => ({ ...(previous as z.infer<typeof V2>), channel: 'web' as const }))
    .define('crossdock.customer.deleted', 1, z.object({ orderId: z.string() }));

const v1Event = (data: unknown = { orderId: 'S1', name: 'Ada Lovelace King' }) =>
  catalog().create('crossdock.customer.registered', {
    data,
    source: '/test',
    correlationId: 'S1',
    idempotencyKey: 'S1:registered',
    serviceClass: 'standard',
  }, 1);

describe('EventCatalog', () => {
  it('creates events at the latest version by default', () => {
    const event = catalog().create('crossdock.customer.registered', {
      data: { orderId: 'S2', firstName: 'Grace', lastName: 'Hopper', channel: 'edi' },
      source: '/test',
      correlationId: 'S2',
      idempotencyKey: 'S2',
      serviceClass: 'batch',
    });
    expect(event.type).toBe('crossdock.customer.registered.v3');
  });

  it('upcasts a v1 event through every step to the version the reader asks for', () => {
    const original = v1Event();
    const asV2 = catalog().read(original, 'crossdock.customer.registered', 2);
    expect(asV2.type).toBe('crossdock.customer.registered.v2');
    expect(asV2.data).toEqual({ orderId: 'S1', firstName: 'Ada', lastName: 'Lovelace King' });
    const latest = catalog().read(JSON.parse(JSON.stringify(original)), 'crossdock.customer.registered');
    expect(latest.data).toEqual({ orderId: 'S1', firstName: 'Ada', lastName: 'Lovelace King', channel: 'web' });
    expect(latest.dataschema).toBe('urn:crossdock:schema:crossdock.customer.registered.v3');
    // Identity, correlation and idempotency survive upcasting.
    expect(latest).toMatchObject({ id: original.id, correlationid: 'S1', idempotencykey: 'S1:registered' });
  });

  it('reads an event at its own version unchanged', () => {
    const original = v1Event();
    expect(catalog().read(original, 'crossdock.customer.registered', 1)).toEqual(original);
  });

  it('refuses events it cannot read, with a reason', () => {
    const original = v1Event();
    const read = (input: unknown, name = 'crossdock.customer.registered', version?: number) => () =>
      catalog().read(input, name, version);
    expect(read({ ...original, type: 'crossdock.customer.registered.v9' })).toThrow(
      'crossdock.customer.registered.v9 is newer than this runtime understands (up to v3)',
    );
    expect(read({ ...original, type: 'crossdock.customer.registered.v3' }, undefined, 2)).toThrow(/never downcast/);
    expect(read(original, 'crossdock.customer.deleted')).toThrow(
      'expected a crossdock.customer.deleted event, got crossdock.customer.registered.v1',
    );
    expect(read(original, 'crossdock.order.released')).toThrow('unknown event type crossdock.order.released');
    expect(read({ ...original, type: 'crossdock.customer.renamed.v1' }, 'crossdock.customer.registered')).toThrow(
      'expected a crossdock.customer.registered event, got crossdock.customer.renamed.v1',
    );
    expect(read({ ...original, data: { orderId: 'S1' } })).toThrow(
      'crossdock.customer.registered.v1 data is invalid: name: Invalid input: expected string, received undefined',
    );
    expect(read({ ...original, specversion: undefined })).toThrow(ValidationError);
  });

  it('refuses an upcaster that produces invalid data', () => {
    const broken = new EventCatalog()
      .define('crossdock.thing.happened', 1, z.object({ n: z.number() }))
      .define('crossdock.thing.happened', 2, z.object({ n: z.string() }), (p) => p as never);
    const event = broken.create('crossdock.thing.happened', { data: { n: 1 }, source: '/t', correlationId: 'c', idempotencyKey: 'k', serviceClass: 'batch' }, 1);
    expect(() => broken.read(event, 'crossdock.thing.happened')).toThrow(/v2 data \(upcast from v1\) is invalid: n:/);
  });

  it('requires versions in order, each with an upcaster from the one before', () => {
    expect(() => new EventCatalog().define('crossdock.x.y', 2, V2, (p) => p as never)).toThrow('define version 1 next, not 2');
    expect(() => new EventCatalog().define('crossdock.x.y', 1, V1).define('crossdock.x.y', 2, V2)).toThrow(
      'crossdock.x.y.v2 needs an upcaster from v1',
    );
  });

  it('splits type names into name and version', () => {
    expect(splitType('crossdock.order.released.v12')).toEqual({ name: 'crossdock.order.released', version: 12 });
  });
});
