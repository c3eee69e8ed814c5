export { startCollector } from './collector';
export type { Collector, CollectorOptions, CollectorStats } from './collector';
export { startTracing } from './tracing';
export type { Tracing, TracingOptions } from './tracing';
export type { SpanSink } from './span-buffer';
export type { SpanRow } from './otlp/span-rows';
