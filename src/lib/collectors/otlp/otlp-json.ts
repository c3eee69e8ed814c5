import { z } from 'zod';
import type { OtlpAnyValue } from './span-rows';

// The OTLP/JSON mapping of ExportTraceServiceRequest. As lenient as the OpenTelemetry Collector:
// 64-bit integers as strings or numbers, enums as integers or names, unknown fields ignored.
// Numbers past 2^53 arrive rounded; they are accepted as the Collector accepts them.
const int64 = z.union([z.string(), z.number().nonnegative()]).nullish();
const hexId = z.string().nullish();

const AnyValue: z.ZodType<OtlpAnyValue> = z.lazy(() =>
  z.object({
    stringValue: z.string().nullish(),
    boolValue: z.boolean().nullish(),
    intValue: z.union([z.string().regex(/^-?\d+$/, 'must be an integer'), z.number().int()]).nullish(),
    doubleValue: z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]).nullish(),
    arrayValue: z.object({ values: z.array(AnyValue).nullish() }).nullish(),
    kvlistValue: z.object({ values: z.array(KeyValue).nullish() }).nullish(),
    bytesValue: z.string().nullish(),
  }),
);
const KeyValue = z.object({ key: z.string(), value: AnyValue.nullish() });
const Attributes = z.array(KeyValue).nullish();
const EnumValue = z.union([z.number().int(), z.string()]).nullish();

const Span = z.object({
  traceId: hexId,
  spanId: hexId,
  traceState: z.string().nullish(),
  parentSpanId: hexId,
  name: z.string().nullish(),
  kind: EnumValue,
  startTimeUnixNano: int64,
  endTimeUnixNano: int64,
  attributes: Attributes,
  events: z.array(z.object({ timeUnixNano: int64, name: z.string().nullish(), attributes: Attributes })).nullish(),
  links: z
    .array(z.object({ traceId: hexId, spanId: hexId, traceState: z.string().nullish(), attributes: Attributes }))
    .nullish(),
  status: z.object({ code: EnumValue, message: z.string().nullish() }).nullish(),
});

/** An OTLP/JSON trace export request. */
export const OtlpJsonTraceRequest = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: z.object({ attributes: Attributes }).nullish(),
        scopeSpans: z
          .array(
            z.object({
              scope: z.object({ name: z.string().nullish(), version: z.string().nullish() }).nullish(),
              spans: z.array(Span).nullish(),
            }),
          )
          .nullish(),
      }),
    )
    .nullish(),
});
