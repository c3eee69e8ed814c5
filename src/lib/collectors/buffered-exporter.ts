import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** What the buffer did since the process started. */
export interface TelemetryBufferStats {
  /** Spans waiting for the collector now. */
  buffered: number;
  /** Spans the collector accepted. */
  delivered: number;
  /** Spans given up because the buffer was full (oldest first) or the process stopped with them. */
  dropped: number;
  /** Export attempts that failed (the collector down, refusing, or timing out). */
  failedExports: number;
  lastError?: string;
  /** When the collector last accepted a batch. */
  lastDeliveredAt?: string;
}

export interface BufferedExporterOptions {
  /** Spans held while the collector is unreachable; beyond this the oldest are dropped and counted. */
  maxBufferedSpans: number;
  /** First wait after a failed export, in ms; it doubles up to `maxRetryMs`. @defaultValue 1000 */
  retryMs?: number;
  /** @defaultValue 30000 */
  maxRetryMs?: number;
  /** How long shutdown keeps trying to send what is held, in ms. @defaultValue 3000 */
  shutdownFlushMs?: number;
  /** Told once when dropping starts, and again after each recovery. */
  onDrop?: (stats: TelemetryBufferStats) => void;
}

/**
 * Keeps spans while the collector is down and sends them when it is back: the SDK's batch
 * processor hands each batch over and moves on, this exporter holds them in a bounded queue
 * and sends one batch at a time with backoff. A console that is down for minutes costs
 * telemetry only beyond the bound, and what was lost is counted, never silent.
 *
 * Written here because the OpenTelemetry JS SDK has no sending queue (the Collector's
 * `sending_queue` is the model): its OTLP exporter retries one batch a few times within the
 * export timeout and then drops it, uncounted.
 */
export class BufferedExporter implements SpanExporter {
  private readonly queue: ReadableSpan[][] = [];
  private readonly counts = { buffered: 0, delivered: 0, dropped: 0, failedExports: 0 };
  private lastError: string | undefined;
  private lastDeliveredAt: string | undefined;
  private sending = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private backoffMs: number;
  private dropping = false;
  private stopped = false;
  private readonly idle = new Set<() => void>();

  constructor(
    private readonly inner: SpanExporter,
    private readonly options: BufferedExporterOptions,
  ) {
    this.backoffMs = options.retryMs ?? 1_000;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.stopped) return resultCallback({ code: ExportResultCode.FAILED, error: new Error('the exporter is shut down') });
    this.queue.push(spans);
    this.counts.buffered += spans.length;
    this.trim();
    this.pump();
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  stats(): TelemetryBufferStats {
    return {
      ...this.counts,
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.lastDeliveredAt ? { lastDeliveredAt: this.lastDeliveredAt } : {}),
    };
  }

  /** Tries to send everything held now (skipping the backoff), for at most `timeoutMs`. */
  async forceFlush(timeoutMs = 3_000): Promise<void> {
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    this.pump();
    if (this.counts.buffered === 0) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.idle.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.idle.add(done);
    });
  }

  /** Flushes within a bound, counts what is still held as dropped, and shuts the inner exporter down. */
  async shutdown(): Promise<void> {
    await this.forceFlush(this.options.shutdownFlushMs ?? 3_000);
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.counts.dropped += this.counts.buffered;
    this.counts.buffered = 0;
    this.queue.length = 0;
    await this.inner.shutdown();
  }

  private trim(): void {
    let over = this.counts.buffered - this.options.maxBufferedSpans;
    if (over <= 0) return;
    // The batch in flight (queue[0] while sending) stays; the oldest after it go first.
    const from = this.sending ? 1 : 0;
    while (over > 0 && this.queue.length > from) {
      const oldest = this.queue[from];
      const cut = Math.min(over, oldest.length);
      oldest.splice(0, cut);
      if (oldest.length === 0) this.queue.splice(from, 1);
      over -= cut;
      this.counts.buffered -= cut;
      this.counts.dropped += cut;
    }
    if (!this.dropping) {
      this.dropping = true;
      this.options.onDrop?.(this.stats());
    }
  }

  private pump(): void {
    if (this.sending || this.retryTimer || this.stopped) return;
    const batch = this.queue[0];
    if (!batch) {
      for (const done of [...this.idle]) done();
      return;
    }
    this.sending = true;
    this.inner.export(batch, (result) => {
      this.sending = false;
      if (result.code === ExportResultCode.SUCCESS) {
        this.queue.shift();
        this.counts.buffered -= batch.length;
        this.counts.delivered += batch.length;
        this.lastDeliveredAt = new Date().toISOString();
        this.backoffMs = this.options.retryMs ?? 1_000;
        this.dropping = false;
        this.pump();
        return;
      }
      this.counts.failedExports += 1;
      this.lastError = result.error?.message ?? 'export failed';
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.pump();
      }, this.backoffMs);
      this.retryTimer.unref();
      this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxRetryMs ?? 30_000);
      // Callers waiting in forceFlush give up on their own timer.
    });
  }
}
