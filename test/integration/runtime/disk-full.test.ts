import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startRuntime, type Runtime } from '../../../src/lib/integration/runtime';
import { anEnvelope } from '../../factories/envelopes';
import { eventually } from '../../support/runtime-parts';

/**
 * The data directory fills up under a working runtime (a 2 MB tmpfs, then grown): taking a
 * message fails with a clear error the sender can retry, nothing it had accepted is lost or
 * corrupted, and once there is room again everything accepted is delivered.
 */
const dir = mkdtempSync(join(tmpdir(), 'crossdock-disk-full-'));
const mount = (...args: string[]) => execFileSync('mount', args, { stdio: 'pipe' });
let mounted = false;
try {
  mount('-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir);
  mounted = true;
} catch {
  // Mounting needs root (CI runs as root on this machine kind); elsewhere the test is reported skipped.
}
let runtime: Runtime | undefined;
afterAll(async () => {
  await runtime?.stop().catch(() => undefined);
  if (mounted) execFileSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
});

it.skipIf(!mounted)('refuses clearly while the data directory is full, loses and corrupts nothing, and carries on when there is room', { timeout: 60_000 }, async () => {
  const handled = new Set<string>();
  runtime = await startRuntime({
    config: { host: '127.0.0.1', adminPort: 0, natsUrl: undefined, adminToken: undefined, idempotencyWindowMs: 3_600_000 },
    dataDir: join(dir, 'runtime'),
    leaseMs: 1_000,
    graceMs: 500,
    routes: [{ topic: 'fill', handle: async (envelope) => void handled.add(envelope.idempotencykey) }],
  });
  const accepted: string[] = [];
  const filler = 'x'.repeat(16_384);
  let refusal: Error | undefined;
  for (let i = 0; i < 1_000 && !refusal; i++) {
    const envelope = anEnvelope({ idempotencykey: `m-${i}`, data: { filler } });
    try {
      await runtime.ingress.accept('fill', envelope);
      accepted.push(envelope.idempotencykey);
    } catch (error) {
      refusal = error as Error;
    }
  }
  expect(refusal?.message).toMatch(/disk is full/);
  expect(accepted.length).toBeGreaterThan(10);

  // The refused message's key was given back: its retry, once there is room, is taken, not called a duplicate.
  mount('-o', 'remount,size=64m', dir);
  const retried = anEnvelope({ idempotencykey: `m-${accepted.length}`, data: { filler } });
  expect((await runtime.ingress.accept('fill', retried)).status).toBe('enqueued');
  accepted.push(retried.idempotencykey);

  await eventually(() => accepted.every((key) => handled.has(key)), 30_000);
  expect(runtime.db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(runtime.deadLetters.list({})).toEqual([]);
});
