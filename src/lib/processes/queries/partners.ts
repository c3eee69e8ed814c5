import { z } from 'zod';
import type { ClickHouse } from '../../server/clickhouse';

export const PartnerTraffic = z.object({
  endpoint: z.string(),
  calls: z.coerce.number(),
  errors: z.coerce.number(),
  errorRate: z.number(),
  p50Ms: z.number(),
  p95Ms: z.number(),
  p99Ms: z.number(),
  lastSuccess: z.string().nullable(),
  lastFailure: z.string().nullable(),
});
export type PartnerTraffic = z.infer<typeof PartnerTraffic>;

/** Calls, error rate and latency per partner endpoint over the window ending `now`. */
export async function partnerTraffic(ch: ClickHouse, windowMs: number, now = new Date()): Promise<PartnerTraffic[]> {
  const result = await ch.client.query({
    query: `
      SELECT Endpoint AS endpoint, sum(Calls) AS calls, sum(Errors) AS errors,
        if(calls = 0, 0, errors / calls) AS errorRate,
        quantilesMerge(0.5, 0.95, 0.99)(DurationQuantiles) AS q,
        q[1] / 1e6 AS p50Ms, q[2] / 1e6 AS p95Ms, q[3] / 1e6 AS p99Ms,
        if(max(LastSuccess) = toDateTime64(0, 3), NULL, toString(toUnixTimestamp64Milli(max(LastSuccess)))) AS lastSuccess,
        if(max(LastFailure) = toDateTime64(0, 3), NULL, toString(toUnixTimestamp64Milli(max(LastFailure)))) AS lastFailure
      FROM partner_calls_1m_v1
      WHERE Minute >= toStartOfMinute(fromUnixTimestamp64Milli({from:Int64})) AND Minute <= fromUnixTimestamp64Milli({now:Int64})
      GROUP BY Endpoint
      ORDER BY Endpoint`,
    query_params: { from: now.getTime() - windowMs, now: now.getTime() },
    format: 'JSONEachRow',
  });
  const rows = await result.json<Record<string, unknown>>();
  return z.array(PartnerTraffic).parse(
    rows.map((r) => ({
      ...r,
      lastSuccess: r.lastSuccess ? new Date(Number(r.lastSuccess)).toISOString() : null,
      lastFailure: r.lastFailure ? new Date(Number(r.lastFailure)).toISOString() : null,
    })),
  );
}
