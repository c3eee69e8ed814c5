/**
 * How fast each SKU moves: order lines per hour over a sliding hour of one-minute buckets, fed by
 * the order-release flow. Stock changes of a SKU that moves at least `linesPerHour` (or that the
 * topology names a fast mover) travel in the realtime class, because a stale count of a fast mover
 * oversells within minutes; the rest go standard. Kept in memory: after a restart the configured
 * list is the floor until an hour of orders has been seen again.
 */
export class SkuVelocity {
  readonly #buckets = new Map<string, Map<number, number>>();

  constructor(
    private readonly options: { linesPerHour: number; configured: ReadonlySet<string>; now?: () => number },
  ) {}

  record(sku: string): void {
    const minute = this.#minute();
    const counts = this.#buckets.get(sku) ?? new Map<number, number>();
    counts.set(minute, (counts.get(minute) ?? 0) + 1);
    for (const m of counts.keys()) if (m <= minute - 60) counts.delete(m);
    this.#buckets.set(sku, counts);
  }

  /** Order lines of `sku` in the last hour. */
  linesPerHour(sku: string): number {
    const since = this.#minute() - 60;
    let total = 0;
    for (const [m, n] of this.#buckets.get(sku) ?? []) if (m > since) total += n;
    return total;
  }

  isFast(sku: string): boolean {
    return this.options.configured.has(sku) || this.linesPerHour(sku) >= this.options.linesPerHour;
  }

  #minute(): number {
    return Math.floor((this.options.now?.() ?? Date.now()) / 60_000);
  }
}
