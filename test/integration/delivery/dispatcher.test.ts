import { afterEach, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../src/lib/integration/canonical';
import { PartnerUnavailableError, RateLimitedError, ValidationError } from '../../../src/lib/integration/errors';
import type { Route } from '../../../src/lib/integration/delivery';
import { anEnvelope } from '../../factories/envelopes';
import { deliveryParts, eventually } from '../../support/runtime-parts';
import { captureSpans } from '../../support/spans';

const spans = captureSpans();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let parts: ReturnType<typeof deliveryParts> | undefined;
afterEach(async () => {
  await parts?.close();
  parts = undefined;
  spans.reset();
});

const route = (topic: string, handle: Route['handle'], extra: Partial<Route> = {}): Route => ({ topic, handle, ...extra });

describe('dispatcher', () => {
  it('retries a partner outage and succeeds without dead-lettering', async () => {
    let calls = 0;
    parts = deliveryParts([
      route('order-release', async () => {
        calls += 1;
        if (calls < 3) throw new PartnerUnavailableError('connection refused');
      }),
    ]);
    parts.dispatcher.start();
    await parts.bus.publish('order-release', anEnvelope());
    await eventually(() => calls === 3);
    await eventually(async () => (await parts!.bus.stats()).every((s) => s.depth === 0));
    expect(parts.deadLetters.list()).toEqual([]);
    const processed = spans.getFinishedSpans().filter((s) => s.name === 'process order-release');
    expect(processed.map((s) => [s.attributes['crossdock.attempt'], s.attributes['crossdock.outcome']])).toEqual([
      [1, 'retry'],
      [2, 'retry'],
      [3, 'success'],
    ]);
    expect(processed[0].attributes['messaging.system']).toBe('sqlite');
    expect(processed[0].attributes['correlation.id']).toBe('S00042');
  });

  it('dead-letters a permanent error at once with the original envelope, the error and the trace context', async () => {
    let calls = 0;
    parts = deliveryParts([
      route('order-release', async () => {
        calls += 1;
        throw new ValidationError('lines.0.sku: unknown format');
      }),
    ]);
    parts.dispatcher.start();
    const envelope = anEnvelope({ serviceclass: 'realtime' });
    await parts.bus.publish('order-release', envelope);
    const [deadLetter] = await eventually(() => parts!.deadLetters.list().length === 1 && parts!.deadLetters.list());
    expect(calls).toBe(1);
    expect(deadLetter).toMatchObject({
      messageId: envelope.id,
      topic: 'order-release',
      envelope,
      category: 'validation_error',
      reason: 'permanent',
      status: 'open',
      serviceClass: 'realtime',
      correlationId: 'S00042',
    });
    expect(deadLetter.attempts).toEqual([
      { attempt: 1, category: 'validation_error', message: 'lines.0.sku: unknown format', at: expect.any(String) },
    ]);
    const failed = spans.getFinishedSpans().find((s) => s.name === 'process order-release')!;
    expect(deadLetter.traceparent).toBe(`00-${failed.spanContext().traceId}-${failed.spanContext().spanId}-01`);
  });

  it('keeps every attempt error when the retry budget runs out, then replays with a link and a new causation id', async () => {
    let failing = true;
    const handled: EventEnvelope[] = [];
    parts = deliveryParts([
      route('wms-rest.outbound', async (envelope) => {
        if (failing) throw new PartnerUnavailableError('HTTP 503');
        handled.push(envelope);
      }),
    ]);
    parts.dispatcher.start();
    const original = anEnvelope({ causationid: 'odoo-release-1' });
    await parts.bus.publish('wms-rest.outbound', original);
    const [deadLetter] = await eventually(() => parts!.deadLetters.list().length === 1 && parts!.deadLetters.list());
    expect(deadLetter.reason).toBe('exhausted');
    expect(deadLetter.attempts.map((a) => [a.attempt, a.category, a.message])).toEqual([
      [1, 'partner_unavailable', 'HTTP 503'],
      [2, 'partner_unavailable', 'HTTP 503'],
      [3, 'partner_unavailable', 'HTTP 503'],
    ]);

    failing = false;
    const first = await parts.remediation.replay(deadLetter.id, { actor: 'approver@example', idempotencyKey: 'approval-7' });
    const again = await parts.remediation.replay(deadLetter.id, { actor: 'approver@example', idempotencyKey: 'approval-7' });
    expect(first.outcome).toBe('done');
    expect(again.outcome).toBe('repeated');
    await eventually(() => handled.length === 1);
    await sleep(200);
    expect(handled).toHaveLength(1);
    const replayed = handled[0];
    expect(replayed.id).not.toBe(original.id);
    expect(replayed.causationid).not.toBe(original.causationid);
    expect(replayed.correlationid).toBe(original.correlationid);
    expect(replayed.idempotencykey).toBe(original.idempotencykey);
    expect(replayed.data).toEqual(original.data);
    const replaySpan = spans.getFinishedSpans().find((s) => s.name === 'replay wms-rest.outbound')!;
    expect(replaySpan.links[0].context.spanId).toBe(deadLetter.traceparent!.split('-')[2]);
    expect(parts.deadLetters.get(deadLetter.id)?.status).toBe('replayed');
    expect(parts.deadLetters.actionsOf(deadLetter.id)).toMatchObject([
      { action: 'replay', actor: 'approver@example', idempotencyKey: 'approval-7', replayMessageId: replayed.id },
    ]);
    expect((await parts.remediation.discard(deadLetter.id, { actor: 'x', reason: 'dup' })).outcome).toBe('not_open');
  });

  it('discards only with a reason, and records it', async () => {
    parts = deliveryParts([route('order-release', async () => Promise.reject(new ValidationError('bad')))]);
    parts.dispatcher.start();
    await parts.bus.publish('order-release', anEnvelope());
    const [deadLetter] = await eventually(() => parts!.deadLetters.list().length === 1 && parts!.deadLetters.list());
    await expect(parts.remediation.discard(deadLetter.id, { actor: 'a', reason: '  ' })).rejects.toThrow('needs a reason');
    const result = await parts.remediation.discard(deadLetter.id, { actor: 'a', reason: 'sent by hand in Odoo' });
    expect(result).toMatchObject({ outcome: 'done', action: { action: 'discard', reason: 'sent by hand in Odoo' } });
    expect(parts.deadLetters.list({ status: 'discarded' }).map((d) => d.id)).toEqual([deadLetter.id]);
  });

  it('handles a realtime message while a batch flood is still backlogged', async () => {
    const order: string[] = [];
    parts = deliveryParts([
      route('inventory-snapshot', async () => {
        await sleep(15);
        order.push('batch');
      }),
      route('order-release', async () => {
        order.push('realtime');
      }),
    ]);
    for (let i = 0; i < 300; i++) await parts.bus.publish('inventory-snapshot', anEnvelope({ serviceclass: 'batch' }));
    parts.dispatcher.start();
    await eventually(() => order.length >= 10);
    await parts.bus.publish('order-release', anEnvelope({ serviceclass: 'realtime' }));
    await eventually(() => order.includes('realtime'));
    const batchDoneBefore = order.indexOf('realtime');
    const backlog = (await parts.bus.stats()).find((s) => s.serviceClass === 'batch')!.depth;
    // The realtime message did not queue behind the flood: most of the batch work was still waiting.
    expect(batchDoneBefore).toBeLessThan(150);
    expect(backlog).toBeGreaterThan(100);
  });

  it("slows only the partner that answered 429, without spending its messages' retries", async () => {
    const calls = { a: 0, b: 0 };
    parts = deliveryParts(
      [
        route('to-a', (_e, ctx) =>
          ctx.endpoint('partner-a').call(async () => {
            calls.a += 1;
            throw new RateLimitedError('HTTP 429', 60_000);
          }),
        ),
        route('to-b', (_e, ctx) => ctx.endpoint('partner-b').call(async () => void (calls.b += 1))),
      ],
      { 'partner-a': { maxConcurrent: 1 }, 'partner-b': {} },
    );
    parts.dispatcher.start();
    for (let i = 0; i < 5; i++) {
      await parts.bus.publish('to-a', anEnvelope());
      await parts.bus.publish('to-b', anEnvelope());
    }
    await eventually(() => calls.b === 5);
    await sleep(300);
    expect(calls.a).toBe(1);
    expect(parts.deadLetters.list()).toEqual([]);
    expect((await parts.bus.stats()).find((s) => s.serviceClass === 'standard')!.depth).toBe(5);
  });

  it('opens the circuit after repeated partner failures, defers instead of calling, and reports the state change', async () => {
    let calls = 0;
    parts = deliveryParts(
      [route('to-a', (_e, ctx) => ctx.endpoint('partner-a').call(async () => {
        calls += 1;
        throw new PartnerUnavailableError('ECONNREFUSED');
      }))],
      { 'partner-a': { breakAfterFailures: 2, halfOpenAfterMs: 60_000, maxConcurrent: 1 } },
    );
    parts.dispatcher.start();
    for (let i = 0; i < 4; i++) await parts.bus.publish('to-a', anEnvelope());
    await eventually(() => parts!.registry.describe()[0].circuit === 'open');
    await sleep(300);
    expect(calls).toBe(2);
    const circuit = spans.getFinishedSpans().filter((s) => s.name === 'circuit partner-a');
    expect(circuit.map((s) => s.attributes['crossdock.circuit.state'])).toEqual(['open']);
    const deferred = spans.getFinishedSpans().filter((s) => s.attributes['crossdock.deferral.reason'] === 'circuit_open');
    expect(deferred.length).toBeGreaterThan(0);
  });

  it('defers work for a paused endpoint and delivers it after resume', async () => {
    let calls = 0;
    parts = deliveryParts([route('to-a', (_e, ctx) => ctx.endpoint('partner-a').call(async () => void (calls += 1)))], {
      'partner-a': {},
    });
    parts.registry.setPaused('partner-a', true);
    parts.dispatcher.start();
    await parts.bus.publish('to-a', anEnvelope());
    await sleep(300);
    expect(calls).toBe(0);
    parts.registry.setPaused('partner-a', false);
    await eventually(() => calls === 1, 10_000);
    expect(parts.deadLetters.list()).toEqual([]);
  });

  it('survives a store that fails under a worker: the delivery is left unsettled for its lease, the next one is handled', async () => {
    const handled: string[] = [];
    parts = deliveryParts([
      route('order-release', async (envelope) => {
        if (envelope.idempotencykey === 'bad') throw new ValidationError('lines.0.sku: unknown format');
        handled.push(envelope.idempotencykey);
      }),
    ]);
    const add = parts.deadLetters.add.bind(parts.deadLetters);
    let failures = 0;
    parts.deadLetters.add = (...args) => {
      if (failures++ === 0) throw new Error('SQLITE_FULL: database or disk is full');
      return add(...args);
    };
    parts.dispatcher.start();
    await parts.bus.publish('order-release', anEnvelope({ idempotencykey: 'bad' }));
    await eventually(() => parts!.dispatcher.outcomes().unsettled === 1);
    await parts.bus.publish('order-release', anEnvelope({ idempotencykey: 'good' }));
    await eventually(() => handled.includes('good'));
    const failed = spans.getFinishedSpans().find((s) => s.attributes['crossdock.outcome'] === 'unsettled');
    expect(failed?.status.message).toContain('SQLITE_FULL');
    // Still leased, not lost: it is dead-lettered when its lease runs out and it comes back.
    expect((await parts.bus.stats()).find((q) => q.serviceClass === 'standard')!.depth).toBe(1);
  });
});
