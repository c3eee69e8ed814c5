import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { BufferedExporter } from './buffered-exporter';

/** An exporter that fails while `down` and records what it accepted. */
function collectorStub() {
  const accepted: string[] = [];
  const stub = {
    down: true,
    accepted,
    export(spans: ReadableSpan[], done: (r: ExportResult) => void) {
      setTimeout(() => {
        if (stub.down) return done({ code: ExportResultCode.FAILED, error: new Error('connect ECONNREFUSED') });
        accepted.push(...spans.map((s) => s.name));
        done({ code: ExportResultCode.SUCCESS });
      }, 1);
    },
    shutdown: async () => undefined,
  };
  return stub;
}
const spans = (...names: string[]) => names.map((name) => ({ name }) as ReadableSpan);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('BufferedExporter', () => {
  it('answers the SDK at once, holds batches while the collector is down and sends them in order when it is back', async () => {
    const stub = collectorStub();
    const exporter = new BufferedExporter(stub as SpanExporter, { maxBufferedSpans: 10, retryMs: 5, maxRetryMs: 10 });
    const results: ExportResultCode[] = [];
    exporter.export(spans('a', 'b'), (r) => results.push(r.code));
    exporter.export(spans('c'), (r) => results.push(r.code));
    expect(results).toEqual([ExportResultCode.SUCCESS, ExportResultCode.SUCCESS]);
    await sleep(30);
    expect(exporter.stats()).toMatchObject({ buffered: 3, delivered: 0, lastError: 'connect ECONNREFUSED' });
    stub.down = false;
    await exporter.forceFlush(1_000);
    expect(stub.accepted).toEqual(['a', 'b', 'c']);
    expect(exporter.stats()).toMatchObject({ buffered: 0, delivered: 3, dropped: 0 });
  });

  it('drops the oldest beyond its bound, counts them, and says so once until it recovers', async () => {
    const stub = collectorStub();
    const told: number[] = [];
    const exporter = new BufferedExporter(stub as SpanExporter, { maxBufferedSpans: 3, retryMs: 1_000, onDrop: (s) => told.push(s.dropped) });
    exporter.export(spans('1', '2'), () => undefined);
    exporter.export(spans('3', '4'), () => undefined);
    exporter.export(spans('5'), () => undefined);
    // '1' and '2' were in flight as one batch; they stay, the next oldest go.
    expect(exporter.stats()).toMatchObject({ buffered: 3, dropped: 2 });
    expect(told).toEqual([1]);
    stub.down = false;
    await exporter.forceFlush(1_000);
    expect(stub.accepted).toEqual(['1', '2', '5']);
  });

  it('on shutdown, sends what it can within the bound and counts the rest as dropped', async () => {
    const stub = collectorStub();
    const exporter = new BufferedExporter(stub as SpanExporter, { maxBufferedSpans: 10, retryMs: 5, shutdownFlushMs: 50 });
    exporter.export(spans('x', 'y'), () => undefined);
    const started = Date.now();
    await exporter.shutdown();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(exporter.stats()).toMatchObject({ buffered: 0, delivered: 0, dropped: 2 });
    const after: ExportResult[] = [];
    exporter.export(spans('z'), (r) => after.push(r));
    expect(after[0].code).toBe(ExportResultCode.FAILED);
  });
});
