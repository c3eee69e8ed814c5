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
    return { reachable: true, ...((await new RuntimeAdminClient(config, timeoutMs).transaction(correlationId)) ?? none) };
  } catch (error) {
    return { reachable: false, error: (error as Error).message, ...none };
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

/** A dead letter as the console needs it: enough to raise it, replay it or discard it. */
export const DeadLetterSummary = z.object({
  id: z.string(),
  topic: z.string(),
  eventType: z.string(),
  correlationId: z.string(),
  category: z.string(),
  reason: z.string(),
  status: z.enum(['open', 'replayed', 'discarded']),
  attempts: z.array(z.object({ attempt: z.number(), category: z.string(), message: z.string(), at: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
  envelope: z.unknown(),
});
export type DeadLetterSummary = z.infer<typeof DeadLetterSummary>;

/** What a remediation call to the runtime answered. */
export interface AdminCallResult {
  ok: boolean;
  status: number;
  body: Record<string, unknown>;
}

export class RuntimeUnavailableError extends Error {}

/**
 * The console's writer to the runtime admin API: reads dead letters for the exception intake and
 * carries out approved remediations, each with an Idempotency-Key so a repeated call is a no-op.
 */
export class RuntimeAdminClient {
  constructor(
    private readonly config: RuntimeConfig,
    private readonly timeoutMs = 10_000,
  ) {}

  get configured(): boolean {
    return Boolean(this.config.adminToken);
  }

  /** Dead letters changed at or after `since`, oldest change first. */
  async deadLettersChangedSince(since: string, limit = 500): Promise<DeadLetterSummary[]> {
    const body = await this.call('GET', `/dead-letters?updatedSince=${encodeURIComponent(since)}&limit=${limit}`);
    if (!body.ok) throw new RuntimeUnavailableError(`runtime admin API answered ${body.status} for dead letters`);
    return z.array(DeadLetterSummary.passthrough()).parse(body.body.deadLetters);
  }

  /** Each partner endpoint with its circuit state (`closed`, `open`, `half_open`, `isolated`) and whether it is paused. */
  async endpoints(): Promise<{ id: string; circuit: string; paused: boolean }[]> {
    const body = await this.call('GET', '/health');
    if (!body.ok) throw new RuntimeUnavailableError(`runtime admin API answered ${body.status} for health`);
    return z.array(z.object({ id: z.string(), circuit: z.string(), paused: z.boolean() })).parse(body.body.endpoints);
  }

  /** What the runtime knows of one transaction (its order and ledger excerpts); undefined when nothing. */
  async transaction(correlationId: string): Promise<z.infer<typeof RuntimeTransactionBody> | undefined> {
    const body = await this.call('GET', `/transactions/${encodeURIComponent(correlationId)}`);
    if (body.status === 404) return undefined;
    if (!body.ok) throw new RuntimeUnavailableError(`runtime admin API answered ${body.status} for transaction ${correlationId}`);
    return RuntimeTransactionBody.parse(body.body);
  }

  /** The warehouse the runtime routed an order to, if it knows the order. */
  async orderWarehouse(correlationId: string): Promise<string | undefined> {
    return (await this.transaction(correlationId))?.order?.warehouseId;
  }

  replay(deadLetterId: string, input: { actor: string; idempotencyKey: string }): Promise<AdminCallResult> {
    return this.call('POST', `/dead-letters/${encodeURIComponent(deadLetterId)}/replay`, { actor: input.actor }, input.idempotencyKey);
  }

  discard(deadLetterId: string, input: { actor: string; reason: string; idempotencyKey: string }): Promise<AdminCallResult> {
    return this.call('POST', `/dead-letters/${encodeURIComponent(deadLetterId)}/discard`, { actor: input.actor, reason: input.reason }, input.idempotencyKey);
  }

  reroute(orderId: string, input: { warehouseId: string; reason: string; actor: string; idempotencyKey: string }): Promise<AdminCallResult> {
    return this.call('POST', `/transactions/${encodeURIComponent(orderId)}/reroute`, { warehouseId: input.warehouseId, reason: input.reason, actor: input.actor }, input.idempotencyKey);
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown, idempotencyKey?: string): Promise<AdminCallResult> {
    if (!this.config.adminToken) throw new RuntimeUnavailableError('CROSSDOCK_ADMIN_TOKEN is not set, so the console cannot reach the runtime');
    let response: Response;
    try {
      response = await fetch(`${adminBase(this.config)}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.config.adminToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new RuntimeUnavailableError(`runtime not reachable at ${adminBase(this.config)}: ${(error as Error).message}`);
    }
    const text = await response.text();
    let parsed: Record<string, unknown>;
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { message: text.slice(0, 500) };
    }
    return { ok: response.ok, status: response.status, body: parsed };
  }
}
