import type { SpanRow } from './otlp/span-rows';

/** Where buffered spans go: ClickHouse in production. */
export interface SpanSink {
  write(rows: SpanRow[]): Promise<void>;
}

export interface SpanBufferOptions {
  /** Spans held at most; beyond it the collector answers 429/503 instead of growing. @defaultValue 100000 */
  maxSpans: number;
  /** Spans per insert; ClickHouse prefers 10k–100k rows per insert. @defaultValue 20000 */
  batchSize: number;
  /** A partial batch is written after this long. @defaultValue 1000 */
  flushIntervalMs: number;
  /** First and longest wait between attempts when the sink fails. */
  retryInitialMs: number;
  retryMaxMs: number;
  /**
   * Batches written at once. Two keep both cores busy on the embedded engine (one parses while
   * the other merges and runs the materialized views). @defaultValue 2
   */
  writers: number;
}

export const defaultSpanBufferOptions: SpanBufferOptions = {
  maxSpans: 100_000,
  batchSize: 20_000,
  flushIntervalMs: 1_000,
  retryInitialMs: 200,
  retryMaxMs: 5_000,
  writers: 2,
};

export interface SpanBufferStats {
  buffered: number;
  written: number;
  batches: number;
  writeFailures: number;
  /** Whether the last write failed (the sink is unhealthy until one succeeds). */
  failing: boolean;
  /** Spans given up at shutdown because the sink kept failing past the deadline. */
  lost: number;
  lastError?: string;
}

/**
 * A bounded queue of accepted spans, written to the sink in batches by a few writer loops: when
 * a batch is full or the flush interval passes. A failed write keeps its spans at the head and is
 * retried with backoff, so an accepted span is never dropped; while the sink fails the queue
 * fills and `offer` refuses new spans, which the receiver turns into backpressure.
 */
export class SpanBuffer {
  readonly #sink: SpanSink;
  readonly #options: SpanBufferOptions;
  readonly #chunks: SpanRow[][] = [];
  #buffered = 0;
  #stats: SpanBufferStats = { buffered: 0, written: 0, batches: 0, writeFailures: 0, failing: false, lost: 0 };
  #abandonAt = Infinity;
  readonly #wakers = new Set<() => void>();
  #stopping = false;
  #loops?: Promise<void[]>;

  constructor(sink: SpanSink, options: Partial<SpanBufferOptions> = {}) {
    this.#sink = sink;
    this.#options = { ...defaultSpanBufferOptions, ...options };
  }

  /** Whether `count` more spans fit right now. */
  hasRoom(count: number): boolean {
    return !this.#stopping && this.#buffered + count <= this.#options.maxSpans;
  }

  /** Accepts rows unless they do not fit; returns whether they were accepted. */
  offer(rows: SpanRow[]): boolean {
    if (rows.length === 0) return true;
    if (!this.hasRoom(rows.length)) return false;
    this.#chunks.push(rows);
    this.#buffered += rows.length;
    if (this.#buffered >= this.#options.batchSize) this.#wake();
    return true;
  }

  stats(): SpanBufferStats {
    return { ...this.#stats, buffered: this.#buffered };
  }

  start(): void {
    this.#loops ??= Promise.all(Array.from({ length: this.#options.writers }, () => this.#run()));
  }

  /**
   * Stops accepting, writes everything buffered (retrying failures), then resolves. If the sink
   * still fails `deadlineMs` after the call, the remaining spans are counted as lost.
   */
  async stop(deadlineMs = 30_000): Promise<void> {
    this.#stopping = true;
    this.#abandonAt = Date.now() + deadlineMs;
    this.start();
    this.#wake();
    await this.#loops;
  }

  async #run(): Promise<void> {
    let delay = this.#options.retryInitialMs;
    while (!(this.#stopping && this.#buffered === 0)) {
      if (this.#stopping && this.#stats.failing && Date.now() >= this.#abandonAt && this.#buffered > 0) {
        this.#stats.lost += this.#buffered;
        this.#chunks.length = 0;
        this.#buffered = 0;
        break;
      }
      if (this.#buffered < this.#options.batchSize && !this.#stopping) await this.#sleep(this.#options.flushIntervalMs);
      if (this.#buffered === 0) continue;
      const batch = this.#takeBatch();
      try {
        await this.#sink.write(batch);
        this.#stats.written += batch.length;
        this.#stats.batches++;
        this.#stats.failing = false;
        delay = this.#options.retryInitialMs;
      } catch (error) {
        this.#chunks.unshift(batch);
        this.#buffered += batch.length;
        this.#stats.writeFailures++;
        this.#stats.failing = true;
        this.#stats.lastError = (error as Error).message;
        await this.#sleep(delay, true);
        delay = Math.min(delay * 2, this.#options.retryMaxMs);
      }
    }
  }

  #takeBatch(): SpanRow[] {
    const batch: SpanRow[] = [];
    while (this.#chunks.length > 0 && batch.length < this.#options.batchSize) {
      const chunk = this.#chunks[0];
      const room = this.#options.batchSize - batch.length;
      if (chunk.length <= room) {
        batch.push(...this.#chunks.shift()!);
      } else {
        batch.push(...chunk.slice(0, room));
        this.#chunks[0] = chunk.slice(room);
      }
    }
    this.#buffered -= batch.length;
    return batch;
  }

  #wake() {
    for (const wake of this.#wakers) wake();
  }

  // Resolves after `ms`, or earlier when a full batch arrives or stop() is called; a retry
  // backoff (`uninterruptible`) is not cut short by new spans, only by stop().
  #sleep(ms: number, uninterruptible = false): Promise<void> {
    return new Promise((resolve) => {
      const wakers = this.#wakers;
      const timer = setTimeout(done, ms);
      const wake = () => {
        if (!uninterruptible || this.#stopping) done();
      };
      function done() {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      }
      wakers.add(wake);
    });
  }
}
