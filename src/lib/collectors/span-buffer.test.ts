import { describe, expect, it } from 'vitest';
import type { SpanRow } from './otlp/span-rows';
import { SpanBuffer, type SpanSink } from './span-buffer';

const rows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ SpanId: String(from + i) }) as SpanRow);

function recordingSink() {
  const batches: string[][] = [];
  let failuresLeft = 0;
  const sink: SpanSink & { batches: string[][]; failNext(n: number): void } = {
    batches,
    failNext: (n) => (failuresLeft = n),
    async write(batch) {
      if (failuresLeft > 0) {
        failuresLeft--;
        throw new Error('ClickHouse is restarting');
      }
      batches.push(batch.map((r) => r.SpanId));
    },
  };
  return sink;
}

describe('SpanBuffer', () => {
  it('writes full batches at once and the remainder on the flush interval', async () => {
    const sink = recordingSink();
    const buffer = new SpanBuffer(sink, { batchSize: 100, flushIntervalMs: 50, maxSpans: 1_000, writers: 1 });
    buffer.start();
    expect(buffer.offer(rows(250))).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(sink.batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(sink.batches.flat()).toEqual(rows(250).map((r) => r.SpanId));
    await buffer.stop();
    expect(buffer.stats()).toMatchObject({ written: 250, batches: 3, buffered: 0, lost: 0 });
  });

  it('writes up to `writers` batches at once, and every span exactly once', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const written: string[] = [];
    const sink: SpanSink = {
      async write(batch) {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((r) => setTimeout(r, 20));
        written.push(...batch.map((r) => r.SpanId));
        inFlight--;
      },
    };
    const buffer = new SpanBuffer(sink, { batchSize: 10, flushIntervalMs: 5, writers: 2 });
    buffer.start();
    buffer.offer(rows(60));
    await buffer.stop();
    expect(maxInFlight).toBe(2);
    expect(written.sort()).toEqual(rows(60).map((r) => r.SpanId).sort());
  });

  it('refuses spans beyond its bound instead of growing', () => {
    const buffer = new SpanBuffer(recordingSink(), { maxSpans: 100 });
    expect(buffer.offer(rows(60))).toBe(true);
    expect(buffer.hasRoom(40)).toBe(true);
    expect(buffer.offer(rows(41))).toBe(false);
    expect(buffer.stats().buffered).toBe(60);
  });

  it('keeps a failed batch at the head and retries it, in order, without losing a span', async () => {
    const sink = recordingSink();
    sink.failNext(3);
    const buffer = new SpanBuffer(sink, { batchSize: 10, flushIntervalMs: 10, retryInitialMs: 5, retryMaxMs: 20, maxSpans: 100, writers: 1 });
    buffer.start();
    buffer.offer(rows(25));
    await new Promise((r) => setTimeout(r, 150));
    expect(buffer.stats().writeFailures).toBe(3);
    expect(buffer.stats().failing).toBe(false);
    expect(sink.batches.flat()).toEqual(rows(25).map((r) => r.SpanId));
    await buffer.stop();
  });

  it('writes everything accepted before stop resolves, and accepts nothing after', async () => {
    const sink = recordingSink();
    const buffer = new SpanBuffer(sink, { batchSize: 1_000, flushIntervalMs: 60_000 });
    buffer.start();
    buffer.offer(rows(7));
    await buffer.stop();
    expect(sink.batches.flat()).toHaveLength(7);
    expect(buffer.offer(rows(1))).toBe(false);
  });

  it('counts spans as lost only when the sink still fails past the shutdown deadline', async () => {
    const sink = recordingSink();
    sink.failNext(Number.POSITIVE_INFINITY);
    const buffer = new SpanBuffer(sink, { batchSize: 10, flushIntervalMs: 10, retryInitialMs: 5, retryMaxMs: 10 });
    buffer.start();
    buffer.offer(rows(12));
    await buffer.stop(50);
    expect(buffer.stats()).toMatchObject({ lost: 12, written: 0, buffered: 0 });
  });
});
