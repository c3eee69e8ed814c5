import { z } from 'zod';
import type { RuntimeConfig } from '../config';

const QueueStats = z.object({ serviceClass: z.string(), depth: z.number(), oldestAgeMs: z.number().nullable().optional() }).passthrough();
const Endpoint = z.object({ id: z.string() }).passthrough();

export interface RuntimeView {
  reachable: boolean;
  error?: string;
  queues: z.infer<typeof QueueStats>[];
  endpoints: (z.infer<typeof Endpoint> & Record<string, unknown>)[];
  deadLetters: number | null;
}

/** The runtime admin API's base URL, reachable from the console's host. */
const adminBase = (config: RuntimeConfig) => `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.adminPort}/admin/v1`;

const Assignment = z.object({
  warehouseId: z.string(),
  routeId: z.string().nullable(),
  reason: z.string(),
  status: z.string(),
  warehouseRef: z.string().nullable(),
  reroutedFrom: z.string().nullable(),
  rerouteReason: z.string().nullable(),
  releasedAt: z.string(),
  sentAt: z.string().nullable(),
  updatedAt: z.string(),
});
const LedgerMessage = z.object({
  id: z.string(),
  direction: z.enum(['in', 'out']),
  partner: z.string(),
  messageType: z.string(),
  externalId: z.string(),
  state: z.string(),
  payloadExcerpt: z.string(),
  payloadBytes: z.number(),
  createdAt: z.string(),
});
const RuntimeTransactionBody = z.object({ order: Assignment.nullable(), messages: z.array(LedgerMessage) });

/** What the runtime itself knows of one transaction: where the order went and why, and the partner messages exchanged. */
export interface RuntimeTransaction {
  reachable: boolean;
  error?: string;
  order: z.infer<typeof Assignment> | null;
  messages: z.infer<typeof LedgerMessage>[];
}

/**
 * Reads one transaction from the runtime's admin API (its order assignment and the ledger's
 * payload excerpts). Nothing recorded there is an empty answer, not an error; an unreachable
 * runtime is said so on the page.
 */
export async function readRuntimeTransaction(config: RuntimeConfig, correlationId: string, timeoutMs = 1_500): Promise<RuntimeTransaction> {
  const none = { order: null, messages: [] };
  if (!config.adminToken) return { reachable: false, error: 'CROSSDOCK_ADMIN_TOKEN is not set, so the console cannot read the runtime', ...none };
  try {
    const response = await fetch(`${adminBase(config)}/transactions/${encodeURIComponent(correlationId)}`, {
      headers: { authorization: `Bearer ${config.adminToken}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status === 404) return { reachable: true, ...none };
    if (!response.ok) throw new Error(`runtime admin API answered ${response.status}`);
    return { reachable: true, ...RuntimeTransactionBody.parse(await response.json()) };
  } catch (error) {
    return { reachable: false, error: `runtime not reachable: ${(error as Error).message}`, ...none };
  }
}

/**
 * Reads the runtime's admin API (queues, endpoints with circuit state, open dead letters) for
 * the console. The runtime may be down or not configured; the console then says so rather than
 * failing the page. Calls time out after `timeoutMs`.
 */
export async function readRuntime(config: RuntimeConfig, timeoutMs = 1_500): Promise<RuntimeView> {
  const empty: RuntimeView = { reachable: false, queues: [], endpoints: [], deadLetters: null };
  if (!config.adminToken) return { ...empty, error: 'CROSSDOCK_ADMIN_TOKEN is not set, so the console cannot read the runtime' };
  const base = adminBase(config);
  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`, {
      headers: { authorization: `Bearer ${config.adminToken}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`runtime admin API answered ${response.status} for ${path}`);
    return response.json();
  };
  try {
    const [health, queues, deadLetters] = await Promise.all([get('/health'), get('/queues'), get('/dead-letters?status=open&limit=500')]);
    return {
      reachable: true,
      queues: z.array(QueueStats).parse(queues.queues ?? []),
      endpoints: z.array(Endpoint).parse(health.endpoints ?? []) as RuntimeView['endpoints'],
      deadLetters: Array.isArray(deadLetters.deadLetters) ? deadLetters.deadLetters.length : null,
    };
  } catch (error) {
    return { ...empty, error: `runtime not reachable at ${base}: ${(error as Error).message}` };
  }
}
