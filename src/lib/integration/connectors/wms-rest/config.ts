import { z } from 'zod';
import { WarehouseMapping } from '../warehouse-mapping';

/** How the adapter authenticates: a static API key, or OAuth2 client credentials (tokens refreshed before expiry). */
export const WmsRestAuth = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('api_key'), apiKey: z.string().min(1) }),
  z.object({ kind: z.literal('oauth2'), tokenUrl: z.url(), clientId: z.string().min(1), clientSecret: z.string().min(1) }),
]);
export type WmsRestAuth = z.output<typeof WmsRestAuth>;

/** Everything one REST WMS adapter needs; secrets arrive here from the `WarehousesEnv` config area. */
export const WmsRestConfig = z.object({
  baseUrl: z.url(),
  auth: WmsRestAuth,
  /** Standard Webhooks secret (`whsec_…`) the WMS signs its webhooks with. */
  webhookSecret: z.string().min(1),
  mapping: WarehouseMapping,
  /** Page size for list calls; the WMS caps it at 250. @defaultValue 100 */
  pageSize: z.number().int().min(1).max(250).default(100),
  /** Per-request timeout in ms. @defaultValue 10000 */
  timeoutMs: z.number().int().positive().default(10_000),
});
export type WmsRestConfig = z.output<typeof WmsRestConfig>;
export type WmsRestConfigInput = z.input<typeof WmsRestConfig>;
