import { z } from 'zod';
import { ExceptionCategory } from '../../integration/taxonomy';
import type { ClickHouse } from '../../server/clickhouse';
import type { ExceptionReport, ExceptionStore } from '../exception-store';

const FailedSpan = z.object({
  insertedMs: z.coerce.number(),
  spanId: z.string(),
  parentSpanId: z.string(),
  traceId: z.string(),
  serviceName: z.string(),
  spanName: z.string(),
  spanKind: z.string(),
  correlationId: z.string(),
  process: z.string(),
  warehouse: z.string(),
  endpoint: z.string(),
  category: z.string(),
  outcome: z.string(),
  httpStatus: z.coerce.number(),
  message: z.string(),
  timestampMs: z.coerce.number(),
});
type FailedSpan = z.infer<typeof FailedSpan>;

const CURSOR = 'spans';
const BATCH = 5_000;
/** Rows younger than this are left for the next pass, so an insert still in flight is not skipped. */
const SETTLE_MS = 2_000;
/** Parents of failed spans remembered across passes, so a parent written later is still known as one. */
const REMEMBERED_PARENTS = 50_000;

/**
 * Raises failed spans as exceptions. Only the innermost failure of a chain counts (the HTTP call
 * that answered 503, not also the consumer span around it); retries of one operation on one
 * transaction are one exception with their attempts counted. Dead-lettered deliveries and
 * quarantined messages are left to the dead-letter intake, which can act on them.
 */
export class SpanIntake {
  private readonly parents = new Set<string>();

  constructor(
    private readonly clickhouse: ClickHouse,
    private readonly store: ExceptionStore,
    private readonly settleMs = SETTLE_MS,
  ) {}

  /** Reads what arrived since the cursor; returns the incidents that are new. */
  async pass(): Promise<{ read: number; raised: number; newIncidents: number[] }> {
    const [afterMs, afterSpan] = (this.store.cursor(CURSOR) ?? `${Date.now() - 3_600_000}|`).split('|');
    const result = await this.clickhouse.client.query({
      query: `
        SELECT toUnixTimestamp64Milli(InsertedAt) AS insertedMs, SpanId AS spanId, ParentSpanId AS parentSpanId, TraceId AS traceId,
          ServiceName AS serviceName, SpanName AS spanName, SpanKind AS spanKind, CorrelationId AS correlationId, Process AS process,
          Warehouse AS warehouse, Endpoint AS endpoint, Category AS category, Outcome AS outcome, HttpStatus AS httpStatus,
          substring(Message, 1, 4000) AS message, toUnixTimestamp64Milli(Timestamp) AS timestampMs
        FROM exception_spans_v1
        WHERE (InsertedAt, SpanId) > (fromUnixTimestamp64Milli({afterMs:Int64}), {afterSpan:String})
          AND InsertedAt <= now64(3) - toIntervalMillisecond({settleMs:UInt32})
        ORDER BY InsertedAt, SpanId
        LIMIT {limit:UInt32}`,
      query_params: { afterMs: Number(afterMs), afterSpan, settleMs: this.settleMs, limit: BATCH },
      format: 'JSONEachRow',
    });
    const spans = z.array(FailedSpan).parse(await result.json());
    for (const span of spans) if (span.parentSpanId) this.remember(span.parentSpanId);
    await this.rememberChildrenBeyondBatch(spans);

    const reports = new Map<string, ExceptionReport>();
    for (const span of spans) {
      if (this.parents.has(span.spanId) || !raises(span)) continue;
      const report = toReport(span);
      const seen = reports.get(report.sourceKey);
      reports.set(report.sourceKey, seen ? { ...report, attempts: (seen.attempts ?? 1) + 1 } : report);
    }
    const newIncidents = this.store
      .recordAll(reports.values())
      .filter((o) => o.newIncident)
      .map((o) => o.incidentId);
    const last = spans.at(-1);
    if (last) this.store.setCursor(CURSOR, `${last.insertedMs}|${last.spanId}`);
    return { read: spans.length, raised: reports.size, newIncidents };
  }

  /**
   * A child ends before its parent, so it is written in the same export or an earlier one; but
   * rows written at the same instant are read in SpanId order, and a batch can end between a
   * parent and its child. Asks once per batch which of its candidate parents have a failed child
   * written up to the batch's last instant.
   */
  private async rememberChildrenBeyondBatch(spans: FailedSpan[]) {
    const candidates = spans.filter((s) => !s.endpoint && !this.parents.has(s.spanId)).map((s) => s.spanId);
    if (spans.length < BATCH || candidates.length === 0) return;
    const result = await this.clickhouse.client.query({
      query: `
        SELECT DISTINCT ParentSpanId AS id FROM exception_spans_v1
        WHERE InsertedAt BETWEEN fromUnixTimestamp64Milli({from:Int64}) AND fromUnixTimestamp64Milli({to:Int64}) AND ParentSpanId IN {ids:Array(String)}`,
      query_params: { from: spans[0].insertedMs, to: spans[spans.length - 1].insertedMs, ids: candidates },
      format: 'JSONEachRow',
    });
    for (const { id } of await result.json<{ id: string }>()) this.remember(id);
  }

  private remember(spanId: string) {
    if (this.parents.size >= REMEMBERED_PARENTS) this.parents.delete(this.parents.values().next().value!);
    this.parents.add(spanId);
  }
}

function raises(span: FailedSpan): boolean {
  if (span.outcome === 'dead_letter' || span.spanName.startsWith('quarantine ')) return false;
  // A consumer span that failed without a failed child is the flow's own error; with one, the child said it.
  return true;
}

function toReport(span: FailedSpan): ExceptionReport {
  const partner = span.endpoint || span.warehouse || span.serviceName.replace(/^crossdock-/, '') || 'unknown';
  if (span.spanName.startsWith('circuit ')) return circuitOpened(span, partner);
  const category = ExceptionCategory.safeParse(span.category);
  const source = span.process === 'reconciliation' ? 'reconciliation' : span.spanName.includes('webhook') ? 'webhook' : span.endpoint ? 'partner_call' : 'flow';
  return {
    // Work that concerns no transaction (a poll of a partner's inbox) fails the same way on every
    // round: one exception per partner and operation, its rounds counted as attempts.
    sourceKey: `span:${span.correlationId || '-'}:${partner}:${span.spanName}:${span.category}`,
    source,
    correlationId: span.correlationId || undefined,
    process: span.process || undefined,
    warehouse: span.warehouse || undefined,
    partner,
    operation: span.spanName,
    error: span.message || `${span.spanName} failed`,
    httpStatus: span.httpStatus >= 100 ? span.httpStatus : undefined,
    attempts: 1,
    category: category.success ? category.data : 'unknown',
    at: span.timestampMs,
  };
}

/** A circuit that opened: one exception per endpoint, closed by the circuit intake when it closes again. */
function circuitOpened(span: FailedSpan, partner: string): ExceptionReport {
  return {
    sourceKey: circuitKey(partner),
    source: 'circuit',
    partner,
    operation: 'circuit breaker',
    error: span.message || `circuit to ${partner} opened`,
    attempts: 1,
    category: 'partner_unavailable',
    at: span.timestampMs,
  };
}

export const circuitKey = (endpointId: string) => `circuit:${endpointId}`;
