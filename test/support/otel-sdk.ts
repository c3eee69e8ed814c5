import { OTLPTraceExporter as OtlpHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * A stock OpenTelemetry SDK tracer provider exporting to `collectorUrl` with the standard
 * OTLP/HTTP exporter, unchanged: protobuf or JSON, optionally gzip-compressed.
 */
export function stockProvider(collectorUrl: string, encoding: 'protobuf' | 'json', options: { gzip?: boolean; service?: string } = {}) {
  const config = { url: `${collectorUrl}/v1/traces`, ...(options.gzip ? { compression: 'gzip' as never } : {}) };
  const exporter = encoding === 'protobuf' ? new OtlpProtoExporter(config) : new OtlpHttpJsonExporter(config);
  return new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.service ?? 'test-runtime' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
}
