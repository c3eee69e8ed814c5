import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteBus } from '../../src/lib/integration/bus';
import {
  AttemptLog,
  DeadLetterRemediation,
  DeadLetterStore,
  Dispatcher,
  EndpointRegistry,
  defaultServiceClasses,
  type EndpointPolicy,
  type Route,
  type ServiceClassPolicy,
} from '../../src/lib/integration/delivery';
import { openRuntimeDb } from '../../src/lib/integration/store/runtime-db';

/** The runtime's delivery parts over a real SQLite file in a temp dir, with fast retries. */
export function deliveryParts(routes: Route[], endpoints: Record<string, EndpointPolicy> = {}, overrides: Partial<Record<'realtime' | 'standard' | 'batch', ServiceClassPolicy>> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-delivery-'));
  const db = openRuntimeDb(join(dir, 'runtime.db'));
  const bus = new SqliteBus({ db, leaseMs: 5_000, pollMs: 10 });
  const fast = { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50 };
  const classes = {
    realtime: { ...defaultServiceClasses.realtime, retry: fast },
    standard: { ...defaultServiceClasses.standard, retry: fast },
    batch: { ...defaultServiceClasses.batch, retry: fast },
    ...overrides,
  };
  const deadLetters = new DeadLetterStore(db);
  const attempts = new AttemptLog(db);
  const registry = new EndpointRegistry(db, endpoints);
  const dispatcher = new Dispatcher({ bus, routes, endpoints: registry, deadLetters, attempts, classes, heartbeatMs: 1_000 });
  const remediation = new DeadLetterRemediation(deadLetters, bus);
  return {
    db,
    bus,
    deadLetters,
    attempts,
    registry,
    dispatcher,
    remediation,
    async close() {
      await dispatcher.stop(1_000);
      await bus.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value (not undefined/false) or `timeoutMs` passes. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
