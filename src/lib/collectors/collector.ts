import type { ClickHouseClient } from '@clickhouse/client';
import { clickHouseSpanSink } from './clickhouse-span-sink';
import { createReceiver, type ReceiverStats } from './receiver';
import { SpanBuffer, type SpanBufferOptions, type SpanBufferStats, type SpanSink } from './span-buffer';

export interface CollectorOptions {
  host: string;
  port: number;
  maxBodyBytes: number;
  buffer?: Partial<SpanBufferOptions>;
}

export interface CollectorStats extends ReceiverStats, SpanBufferStats {}

/** A running OTLP/HTTP collector. */
export interface Collector {
  /** Base URL, e.g. `http://127.0.0.1:4318`; traces go to `${url}/v1/traces`. */
  readonly url: string;
  stats(): CollectorStats;
  /** Stops listening, then writes every accepted span before resolving. */
  stop(): Promise<void>;
}

/**
 * Starts the collector: the OTLP/HTTP receiver feeding a bounded buffer that writes batches to
 * ClickHouse (or to `sink`, for tests and benchmarks).
 */
export async function startCollector(
  options: CollectorOptions,
  target: { client: ClickHouseClient } | { sink: SpanSink },
): Promise<Collector> {
  const sink = 'sink' in target ? target.sink : clickHouseSpanSink(target.client);
  const buffer = new SpanBuffer(sink, options.buffer);
  const receiver = createReceiver(buffer, { maxBodyBytes: options.maxBodyBytes });
  buffer.start();
  await new Promise<void>((resolve, reject) => {
    receiver.server.once('error', reject);
    receiver.server.listen(options.port, options.host, () => resolve());
  });
  const address = receiver.server.address() as { port: number };
  return {
    url: `http://${options.host}:${address.port}`,
    stats: () => ({ ...receiver.stats(), ...buffer.stats() }),
    async stop() {
      await new Promise<void>((resolve) => {
        receiver.server.close(() => resolve());
        receiver.server.closeIdleConnections();
      });
      await buffer.stop();
    },
  };
}
