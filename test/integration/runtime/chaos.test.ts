import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { SqliteBus } from '../../../src/lib/integration/bus';
import { DeadLetterStore } from '../../../src/lib/integration/delivery';
import { openRuntimeDb, runtimeDbPath } from '../../../src/lib/integration/store/runtime-db';
import { anEnvelope } from '../../factories/envelopes';
import { eventually } from '../../support/runtime-parts';

const fixture = fileURLToPath(new URL('../fixtures/chaos-runtime.ts', import.meta.url));
const total = 3_000;
const dir = mkdtempSync(join(tmpdir(), 'crossdock-chaos-'));
const children: ChildProcess[] = [];
let server: Server;
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function startRuntimeProcess(receiverUrl: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    env: { ...process.env, CROSSDOCK_DATA_DIR: dir, RECEIVER_URL: receiverUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return child;
}

it('loses nothing and applies every effect once when the runtime is killed -9 mid-flight', { timeout: 90_000 }, async () => {
  // The receiver is a partner that honours idempotency keys: the effect happens on the first request with a key.
  const effects = new Map<string, number>();
  let requests = 0;
  server = createServer((req, res) => {
    requests += 1;
    const key = String(req.headers['idempotency-key']);
    req.resume().on('end', () => {
      if (!effects.has(key)) effects.set(key, Number(new Date()));
      setTimeout(() => res.end('ok'), 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/effects`;

  const db = openRuntimeDb(runtimeDbPath(dir));
  const bus = new SqliteBus({ db });
  const keys = new Set<string>();
  for (let i = 0; i < total; i++) {
    const envelope = anEnvelope({ idempotencykey: `order-${i}`, data: { n: i } });
    keys.add(envelope.idempotencykey);
    await bus.publish('chaos', envelope);
  }

  const first = startRuntimeProcess(receiverUrl);
  await eventually(() => effects.size >= 600, 30_000);
  first.kill('SIGKILL');
  await new Promise((resolve) => first.once('exit', resolve));
  const afterKill = effects.size;
  const backlog = (await bus.stats()).find((s) => s.serviceClass === 'standard')!.depth;
  expect(afterKill).toBeLessThan(total);
  expect(backlog).toBeGreaterThan(0);

  startRuntimeProcess(receiverUrl);
  await eventually(async () => (await bus.stats()).every((s) => s.depth === 0) && effects.size === total, 60_000);

  expect(new Set(effects.keys())).toEqual(keys);
  expect(new DeadLetterStore(db).list()).toEqual([]);
  // At-least-once on the wire (redeliveries after the kill are allowed), exactly once in effect.
  expect(requests).toBeGreaterThanOrEqual(total);
  await bus.close();
  db.close();
});
