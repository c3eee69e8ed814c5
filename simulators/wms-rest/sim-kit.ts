import { renameSync, writeFileSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * Small pieces every warehouse simulator uses: a seeded random source (so a fault run can be
 * replayed), a clock whose timestamps strictly increase (so `updated_at` polling is well defined),
 * JSON over node:http, and state kept in the simulator's own file, written atomically.
 */

/** mulberry32: tiny, seedable, good enough to decide "drop this webhook". */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** ISO timestamps that never repeat or go backwards within one simulator. */
export function monotonicClock(): () => string {
  let last = 0;
  return () => {
    last = Math.max(Date.now(), last + 1);
    return new Date(last).toISOString();
  };
}

/** Faults every simulator understands; dialects add their own on top. */
export const CommonFaults = z.object({
  /** Refuse every partner-facing request (503 / SFTP connection refused). */
  outage: z.boolean().default(false),
  /** Set with `outage: true` to end the outage by itself after this many ms (an outage window). */
  outageForMs: z.number().int().min(1).max(86_400_000).optional(),
  /** Added to every partner-facing response, in ms. */
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  /** Fraction of partner-facing requests answered with a 500. */
  errorRate: z.number().min(0).max(1).default(0),
  /** Report stock of SKUs the depositor never defined. */
  unknownSkus: z.boolean().default(false),
  /** Acknowledge nothing: orders get stuck at "received". */
  loseAcknowledgements: z.boolean().default(false),
  /** Fraction of shipments that ship short. */
  shortShipRate: z.number().min(0).max(1).default(0),
});

/** What `/_sim/return` receives back: sellable goods go back on hand, damaged ones do not. */
export const ReturnCondition = z.enum(['sellable', 'damaged']).default('sellable');

export async function readJson(req: IncomingMessage, limit = 5 * 1024 * 1024): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : JSON.parse(text);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Persists a simulator's state to its own JSON file, coalescing bursts of changes into one write. */
export class StateFile<T> {
  #scheduled = false;
  constructor(
    private readonly path: string | undefined,
    private readonly snapshot: () => T,
  ) {}

  load(): T | undefined {
    if (!this.path || !existsSync(this.path)) return undefined;
    return JSON.parse(readFileSync(this.path, 'utf8')) as T;
  }

  changed(): void {
    if (!this.path || this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.flush();
    });
  }

  flush(): void {
    if (!this.path) return;
    mkdirSync(dirname(this.path), { recursive: true });
    // Temp file + rename: a crash mid-write leaves the previous state, never half a file.
    writeFileSync(`${this.path}.tmp`, JSON.stringify(this.snapshot()));
    renameSync(`${this.path}.tmp`, this.path);
  }
}

/** Ends an outage window after `ms`; the timer never keeps the process alive. */
export function endOutageAfter(ms: number | undefined, end: () => void): void {
  if (ms !== undefined) setTimeout(end, ms).unref();
}

/** A running `/_sim/*` control plane. */
export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves a simulator's control plane on loopback: `handle` answers each request; a refused
 * fault setting (zod) is a 400 and any other error a 409, never a crash.
 */
export async function startControlServer(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  options: { port: number; host?: string },
): Promise<ControlServer> {
  const host = options.host ?? '127.0.0.1';
  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendJson(res, error instanceof z.ZodError ? 400 : 409, { error: (error as Error).message }));
  });
  await new Promise<void>((ok, fail) => {
    http.once('error', fail);
    http.listen(options.port, host, () => ok());
  });
  return {
    url: `http://${host}:${(http.address() as AddressInfo).port}`,
    async close() {
      http.closeAllConnections();
      await new Promise<void>((ok) => http.close(() => ok()));
    },
  };
}
