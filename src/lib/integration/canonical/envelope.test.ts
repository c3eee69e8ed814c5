import { CloudEvent } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import { anOrder } from '../../../../test/factories/canonical';
import { expectIssue, expectRoundTrip } from '../../../../test/factories/schema-assertions';
import { EventEnvelope } from './envelope';
import { events, eventTypes } from './events';

const released = () =>
  events.create(eventTypes.orderReleased, {
    data: anOrder(),
    source: '/odoo/crossdock',
    correlationId: 'S00042',
    idempotencyKey: 'odoo:sale.order:42:released',
    serviceClass: 'realtime',
    time: new Date('2026-11-27T09:30:01Z'),
  });

describe('EventEnvelope', () => {
  it('builds a CloudEvents 1.0 envelope with Crossdock extensions', () => {
    const envelope = released();
    expect(envelope).toMatchObject({
      specversion: '1.0',
      type: 'crossdock.order.released.v1',
      source: '/odoo/crossdock',
      time: '2026-11-27T09:30:01.000Z',
      datacontenttype: 'application/json',
      dataschema: 'urn:crossdock:schema:crossdock.order.released.v1',
      correlationid: 'S00042',
      idempotencykey: 'odoo:sale.order:42:released',
      serviceclass: 'realtime',
    });
    expect(envelope.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(envelope.data.lines[0].quantity).toBe('24');
    expectRoundTrip(EventEnvelope, envelope);
  });

  it('is a valid event for the CloudEvents reference SDK', () => {
    const envelope = released();
    const cloudEvent = new CloudEvent(JSON.parse(JSON.stringify(envelope)), true);
    expect(cloudEvent.validate()).toBe(true);
    expect(cloudEvent.correlationid).toBe('S00042');
    expect(cloudEvent.serviceclass).toBe('realtime');
  });

  it('names the attribute at fault', () => {
    const envelope = released();
    expectIssue(EventEnvelope, { ...envelope, specversion: '0.3' }, 'specversion', 'must be "1.0" (CloudEvents 1.0)');
    expectIssue(EventEnvelope, { ...envelope, type: 'order.released' }, 'type', /crossdock\.<entity>\.<happening>\.v<N>/);
    expectIssue(EventEnvelope, { ...envelope, type: 'crossdock.order.released' }, 'type', /\.v<N>/);
    expectIssue(EventEnvelope, { ...envelope, serviceclass: 'urgent' }, 'serviceclass', /Invalid option/);
    expectIssue(EventEnvelope, { ...envelope, correlationid: '' }, 'correlationid', 'must not be empty');
    expectIssue(EventEnvelope, { ...envelope, idempotencykey: undefined }, 'idempotencykey', /expected string/);
    expectIssue(EventEnvelope, { ...envelope, dataschema: 'schemas/order' }, 'dataschema', 'must be an absolute URI');
  });

  it('refuses to create an event whose data is invalid, naming the field', () => {
    expect(() =>
      events.create(eventTypes.orderReleased, {
        data: anOrder({ lines: [] }),
        source: '/odoo/crossdock',
        correlationId: 'S00042',
        idempotencyKey: 'k',
        serviceClass: 'realtime',
      }),
    ).toThrow('crossdock.order.released.v1 data is invalid: lines: an order needs at least one line');
  });
});
