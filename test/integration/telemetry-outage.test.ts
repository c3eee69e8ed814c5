import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, expect, it } from 'vitest';
import { BufferedExporter } from '../../src/lib/collectors/buffered-exporter';
import { startCollector, type Collector, type SpanRow } from '../../src/lib/collectors';
import { freePort } from '../support/cli';
import { eventually } from '../support/runtime-parts';

/**
 * The console (and so its collector) is down while the runtime keeps working: the runtime's
 * spans wait in its bounded export buffer, the oldest beyond the bound are dropped and counted,
 * and the rest arrive once the collector is back. Nothing is lost silently: delivered + dropped
 * = made.
 */
let collector: Collector | undefined;
let provider: BasicTracerProvider | undefined;
afterAll(async () => {
  await provider?.shutdown();
  await collector?.stop();
});

it('holds spans while the collector is down, drops and counts beyond its bound, and delivers the rest when it is back', { timeout: 60_000 }, async () => {
  const port = await freePort();
  const exporter = new BufferedExporter(new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces`, timeoutMillis: 2_000 }), { maxBufferedSpans: 5_000, retryMs: 200, maxRetryMs: 500 });
  provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 65_536, maxExportBatchSize: 1_000, scheduledDelayMillis: 50 })] });
  const tracer = provider.getTracer('outage-test');
  const made = (from: number, count: number) => {
    for (let i = from; i < from + count; i++) tracer.startSpan(`work ${i}`, { attributes: { 'correlation.id': `S${i}` } }).end();
  };

  // The collector is down: the first 3,000 spans are held, not lost.
  made(0, 3_000);
  await eventually(() => exporter.stats().buffered === 3_000 && exporter.stats().failedExports > 0);
  expect(exporter.stats()).toMatchObject({ delivered: 0, dropped: 0 });

  // Still down: 4,000 more pass the bound of 5,000; the oldest 2,000 go, counted.
  made(3_000, 4_000);
  await eventually(() => exporter.stats().buffered + exporter.stats().dropped === 7_000);
  expect(exporter.stats()).toMatchObject({ buffered: 5_000, dropped: 2_000, delivered: 0 });

  // The console comes back on the same port: what was held arrives, then what is made next.
  const rows: SpanRow[] = [];
  const report = (e: Error) => {
    throw new Error(`${e.message}: ${rows.length} rows, ${JSON.stringify(exporter.stats())}`);
  };
  collector = await startCollector({ host: '127.0.0.1', port, maxBodyBytes: 32 * 1024 * 1024, buffer: { flushIntervalMs: 50 } }, { sink: { write: async (batch) => void rows.push(...batch) } });
  await eventually(() => rows.length === 5_000, 30_000).catch(report);
  made(7_000, 1_000);
  await eventually(() => rows.length === 6_000, 10_000).catch(report);
  expect(exporter.stats()).toMatchObject({ buffered: 0, dropped: 2_000, delivered: 6_000 });
  const names = new Set(rows.map((r) => r.SpanName));
  // The newest held spans and the ones made after the recovery arrived; the oldest were the ones dropped.
  expect(names.has('work 2000')).toBe(true);
  expect(names.has('work 7999')).toBe(true);
  expect(names.has('work 1999')).toBe(false);
});
