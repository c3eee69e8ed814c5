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

/**
 * Reads the runtime's admin API (queues, endpoints with circuit state, open dead letters) for
 * the console. The runtime may be down or not configured; the console then says so rather than
 * failing the page. Calls time out after `timeoutMs`.
 */
export async function readRuntime(config: RuntimeConfig, timeoutMs = 1_500): Promise<RuntimeView> {
  const empty: RuntimeView = { reachable: false, queues: [], endpoints: [], deadLetters: null };
  if (!config.adminToken) return { ...empty, error: 'CROSSDOCK_ADMIN_TOKEN is not set, so the console cannot read the runtime' };
  const base = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.adminPort}/admin/v1`;
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
