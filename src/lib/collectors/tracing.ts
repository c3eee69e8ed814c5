import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ResourceAttr } from '../telemetry/conventions';
import { BufferedExporter, type TelemetryBufferStats } from './buffered-exporter';

export interface TracingOptions {
  /** `service.name` of this process, e.g. `crossdock-runtime`. */
  serviceName: string;
  /** Which Crossdock component this is: `runtime`, `console`, `simulator`. */
  component: string;
  /** The collector's OTLP/HTTP base URL, e.g. `http://127.0.0.1:4318`; `/v1/traces` is appended. */
  endpoint: string;
  /** Replaces the OTLP exporter (tests use an in-memory exporter). */
  exporter?: SpanExporter;
  /** Spans held while the collector is unreachable (see `BufferedExporter`). @defaultValue 50000 */
  bufferSpans?: number;
  /** Told when the buffer starts dropping spans. */
  onDrop?: (stats: TelemetryBufferStats) => void;
}

export interface Tracing {
  /** What the export buffer holds, delivered and dropped. */
  stats(): TelemetryBufferStats;
  /** Exports every span still queued (within a bound), then stops. */
  shutdown(): Promise<void>;
}

/**
 * Sets up the OpenTelemetry SDK for this process, once, exporting OTLP protobuf to the
 * collector. Library code never calls this: it uses `@opentelemetry/api` only, and the spans it
 * makes go wherever the process's composition root pointed the SDK.
 *
 * The batch processor is sized for bursts: with the SDK defaults (queue 2048) a burst drops
 * most spans silently.
 */
export function startTracing(options: TracingOptions): Tracing {
  const otlp = options.exporter ?? new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/$/, '')}/v1/traces` });
  const exporter = new BufferedExporter(otlp, { maxBufferedSpans: options.bufferSpans ?? 50_000, onDrop: options.onDrop });
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': options.serviceName, [ResourceAttr.component]: options.component }),
    spanProcessors: [
      new BatchSpanProcessor(exporter, { maxQueueSize: 65_536, maxExportBatchSize: 4_096, scheduledDelayMillis: 500 }),
    ],
    instrumentations: [],
  });
  sdk.start();
  return { stats: () => exporter.stats(), shutdown: () => sdk.shutdown() };
}
