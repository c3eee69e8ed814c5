import { milestones as processMilestones, ProcessName } from '../../processes/milestones';
import { Attr } from '../../telemetry/conventions';
import type { ClickHouse } from '../clickhouse';
import { findCorrelationTraces, readTraceSpans, type StoredSpan } from '../clickhouse/queries/correlation-spans';

/** The most spans one transaction view returns; the rest are counted, not sent. */
export const SPAN_LIMIT = 10_000;

export interface TransactionSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: string;
  service: string;
  start: string;
  startNs: string;
  durationNs: string;
  durationMs: number;
  status: { code: string; message: string };
  attributes: Record<string, string>;
  events: { time: string; name: string; attributes: Record<string, string> }[];
  links: { traceId: string; spanId: string }[];
}

export interface Transaction {
  correlationId: string;
  processes: string[];
  traces: { traceId: string; start: string; end: string; spans: number; errors: number }[];
  milestones: { process: string; milestone: string; reachedAt: string; traceId: string; spanId: string }[];
  spans: TransactionSpan[];
  /** True when the transaction has more than `SPAN_LIMIT` spans. */
  truncated: boolean;
}

// The exporter has written both spellings over its history; readers accept both.
const KIND_NAMES: Record<string, string> = {
  SPAN_KIND_UNSPECIFIED: 'Unspecified',
  SPAN_KIND_INTERNAL: 'Internal',
  SPAN_KIND_SERVER: 'Server',
  SPAN_KIND_CLIENT: 'Client',
  SPAN_KIND_PRODUCER: 'Producer',
  SPAN_KIND_CONSUMER: 'Consumer',
};
const STATUS_NAMES: Record<string, string> = { STATUS_CODE_UNSET: 'Unset', STATUS_CODE_OK: 'Ok', STATUS_CODE_ERROR: 'Error' };

/**
 * Everything recorded about one business transaction, across all of its traces: the spans in
 * start order with parent links and status, and the milestones reached with their first time.
 * Returns undefined when no span carries the correlation ID.
 */
export async function getTransaction(ch: ClickHouse, correlationId: string): Promise<Transaction | undefined> {
  const traces = await findCorrelationTraces(ch, correlationId);
  if (traces.length === 0) return undefined;
  const window = {
    fromNs: traces.reduce((min, t) => (BigInt(t.startNs) < BigInt(min) ? t.startNs : min), traces[0].startNs),
    toNs: traces.reduce((max, t) => (BigInt(t.endNs) > BigInt(max) ? t.endNs : max), traces[0].endNs),
  };
  const rows = await readTraceSpans(ch, traces.map((t) => t.traceId), window, SPAN_LIMIT + 1);
  const spans = inTreeOrder(rows.slice(0, SPAN_LIMIT).map(toTransactionSpan));
  const processes = [...new Set(spans.map((s) => s.attributes[Attr.processName]).filter(Boolean))];
  return {
    correlationId,
    processes,
    traces: traces.map((t) => ({ traceId: t.traceId, start: isoOf(t.startNs), end: isoOf(t.endNs), spans: t.spans, errors: t.errors })),
    milestones: milestonesOf(spans),
    spans,
    truncated: rows.length > SPAN_LIMIT,
  };
}

function toTransactionSpan(row: StoredSpan): TransactionSpan {
  return {
    traceId: row.traceId,
    spanId: row.spanId,
    parentSpanId: row.parentSpanId || null,
    name: row.name,
    kind: KIND_NAMES[row.kind] ?? row.kind,
    service: row.service,
    start: isoOf(row.startNs),
    startNs: row.startNs,
    durationNs: row.durationNs,
    durationMs: Number(BigInt(row.durationNs) / 1_000n) / 1_000,
    status: { code: STATUS_NAMES[row.statusCode] ?? row.statusCode, message: row.statusMessage },
    attributes: row.attributes,
    events: row.eventNames.map((name, i) => ({ time: isoOf(row.eventTimesNs[i]), name, attributes: row.eventAttributes[i] ?? {} })),
    links: row.linkTraceIds.map((traceId, i) => ({ traceId, spanId: row.linkSpanIds[i] })),
  };
}

/**
 * Waterfall order: each root by start time, each span followed by its children (by start time).
 * Start times alone can tie or invert between a parent and a child started in the same
 * microsecond (JSON exporters round nanoseconds past 2^53), so the tree decides.
 */
function inTreeOrder(spans: TransactionSpan[]): TransactionSpan[] {
  const byStart = (a: TransactionSpan, b: TransactionSpan) => (BigInt(a.startNs) < BigInt(b.startNs) ? -1 : BigInt(a.startNs) > BigInt(b.startNs) ? 1 : 0);
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, TransactionSpan[]>();
  const roots: TransactionSpan[] = [];
  for (const span of spans) {
    if (span.parentSpanId && ids.has(span.parentSpanId)) {
      const siblings = children.get(span.parentSpanId) ?? [];
      siblings.push(span);
      children.set(span.parentSpanId, siblings);
    } else roots.push(span);
  }
  const ordered: TransactionSpan[] = [];
  const stack = roots.sort(byStart).reverse();
  while (stack.length > 0) {
    const span = stack.pop()!;
    ordered.push(span);
    stack.push(...(children.get(span.spanId) ?? []).sort(byStart).reverse());
  }
  return ordered;
}

/** The first time each milestone was reached, in each process's milestone order. */
function milestonesOf(spans: TransactionSpan[]): Transaction['milestones'] {
  const first = new Map<string, Transaction['milestones'][number] & { ns: bigint }>();
  for (const span of spans) {
    const milestone = span.attributes[Attr.processMilestone];
    const process = span.attributes[Attr.processName];
    if (!milestone || !process) continue;
    const key = `${process}\u0000${milestone}`;
    const ns = BigInt(span.startNs) + BigInt(span.durationNs);
    const seen = first.get(key);
    if (!seen || ns < seen.ns)
      first.set(key, { process, milestone, reachedAt: isoOf(ns.toString()), traceId: span.traceId, spanId: span.spanId, ns });
  }
  const order = (m: { process: string; milestone: string }) => {
    const known = ProcessName.safeParse(m.process);
    return known.success ? (processMilestones[known.data] as readonly string[]).indexOf(m.milestone) : -1;
  };
  return [...first.values()]
    .sort((a, b) => a.process.localeCompare(b.process) || order(a) - order(b) || Number(a.ns - b.ns))
    .map(({ ns: _ns, ...m }) => m);
}

/** Epoch nanoseconds to an ISO timestamp with nanosecond digits. */
function isoOf(ns: string): string {
  const value = BigInt(ns);
  const ms = Number(value / 1_000_000n);
  const fraction = (value % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(ms).toISOString().slice(0, 19)}.${fraction}Z`;
}
