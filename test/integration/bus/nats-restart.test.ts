import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { PartnerUnavailableError } from '../../../src/lib/integration/errors';
import { startRuntime, type Runtime } from '../../../src/lib/integration/runtime';
import { anEnvelope } from '../../factories/envelopes';
import { freePort } from '../../support/cli';
import { eventually } from '../../support/runtime-parts';

/**
 * The NATS server restarts mid-stream (killed -9, back on the same port and store a few seconds
 * later): the runtime reconnects on its own, publishes that failed during the outage are the
 * sender's to retry (they were refused, not lost), and every accepted message takes effect once.
 */
const dir = mkdtempSync(join(tmpdir(), 'crossdock-nats-restart-'));
let nats: ChildProcess | undefined;
let runtime: Runtime | undefined;
let receiver: Server | undefined;
afterAll(async () => {
  await runtime?.stop();
  nats?.kill('SIGKILL');
  receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startNats(port: number): Promise<ChildProcess> {
  const child = spawn('/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', join(dir, 'nats')], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()).includes('Server is ready') && resolve());
    child.once('exit', (code) => reject(new Error(`nats-server exited with ${code}: ${log}`)));
  });
  return child;
}

it('reconnects after the NATS server restarts and applies every accepted message once', { timeout: 120_000 }, async () => {
  // The partner honours idempotency keys: a key's first request is its effect; repeats are counted.
  const requests = new Map<string, number>();
  receiver = createServer((req, res) => {
    const key = String(req.headers['idempotency-key']);
    req.resume().on('end', () => {
      requests.set(key, (requests.get(key) ?? 0) + 1);
      setTimeout(() => res.end('ok'), 5);
    });
  });
  await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;

  const port = await freePort();
  nats = await startNats(port);
  runtime = await startRuntime({
    config: { host: '127.0.0.1', adminPort: 0, natsUrl: `nats://127.0.0.1:${port}`, adminToken: undefined, idempotencyWindowMs: 60_000 },
    dataDir: join(dir, 'runtime'),
    leaseMs: 2_000,
    graceMs: 1_000,
    endpoints: { receiver: { maxConcurrent: 16, maxQueued: 1_000 } },
    routes: [
      {
        topic: 'restart',
        handle: (envelope, ctx) =>
          ctx.endpoint('receiver').call(async (signal) => {
            const response = await fetch(receiverUrl, { method: 'POST', headers: { 'idempotency-key': ctx.idempotencyKey }, body: JSON.stringify(envelope.data), signal });
            if (!response.ok) throw new PartnerUnavailableError(`HTTP ${response.status}`);
          }),
      },
    ],
  });

  // A sender that retries what was refused, as a partner retries a webhook answered 5xx.
  const accepted = new Set<string>();
  let refused = 0;
  const send = async (i: number, deadline: number) => {
    const envelope = anEnvelope({ idempotencykey: `msg-${i}`, data: { i } });
    for (;;) {
      try {
        const result = await runtime!.ingress.accept('restart', envelope);
        expect(['enqueued', 'duplicate']).toContain(result.status);
        accepted.add(envelope.idempotencykey);
        return;
      } catch (error) {
        refused += 1;
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  };
  const deadline = Date.now() + 60_000;
  for (let i = 0; i < 300; i++) await send(i, deadline);
  await eventually(() => requests.size >= 100, 20_000);

  nats.kill('SIGKILL');
  await new Promise((resolve) => nats!.once('exit', resolve));
  // Messages sent while the server is down wait in the sender's retries.
  const during = Promise.all(Array.from({ length: 100 }, (_, k) => send(300 + k, deadline)));
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  nats = await startNats(port);
  await during;
  for (let i = 400; i < 500; i++) await send(i, deadline);

  await eventually(async () => requests.size === 500 && (await runtime!.bus.stats()).every((s) => s.depth === 0), 60_000);
  // The outage was real: sends were refused while the server was down, and retried.
  expect(refused).toBeGreaterThan(0);
  expect(accepted.size).toBe(500);
  expect(new Set(requests.keys())).toEqual(accepted);
  expect(runtime.deadLetters.list({})).toEqual([]);
});
