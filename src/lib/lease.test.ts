import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRuntimeDb, type RuntimeDb } from './integration/store/runtime-db';
import { Lease } from './lease';

describe('Lease', () => {
  let dir: string;
  let dbs: RuntimeDb[];
  let now: number;
  // Two runtime processes: two connections to one database file, one clock.
  const leaseOf = (holder: string) => {
    const db = openRuntimeDb(join(dir, 'runtime.db'));
    dbs.push(db);
    return new Lease(db, { name: 'sources', ttlMs: 10_000, holder, clock: () => now });
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crossdock-lease-'));
    dbs = [];
    now = Date.parse('2026-12-06T12:00:00Z');
  });
  afterEach(() => {
    for (const db of dbs) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('goes to one runtime at a time and stays with it while it renews', () => {
    const a = leaseOf('a');
    const b = leaseOf('b');
    expect(a.renew()).toBe(true);
    expect(b.renew()).toBe(false);
    now += 9_000;
    expect(a.renew()).toBe(true);
    now += 9_000;
    // 18 s after a took it, but a renewed at 9 s: still a's.
    expect(b.renew()).toBe(false);
    expect(b.status()).toEqual({ holder: 'b', held: false, heldBy: 'a', expiresAt: new Date(now - 9_000 + 10_000).toISOString() });
  });

  it('passes to another runtime once the holder stops renewing (a crash)', () => {
    const a = leaseOf('a');
    const b = leaseOf('b');
    a.renew();
    now += 9_999;
    expect(b.renew()).toBe(false);
    now += 1;
    expect(b.renew()).toBe(true);
    // The old holder learns it at its next renewal and stops polling.
    expect(a.renew()).toBe(false);
    expect(a.held).toBe(false);
  });

  it('is given up on a graceful stop, so the next runtime takes it at once', () => {
    const a = leaseOf('a');
    const b = leaseOf('b');
    a.start();
    expect(a.held).toBe(true);
    a.stop();
    expect(a.held).toBe(false);
    expect(b.renew()).toBe(true);
    expect(a.status()).toMatchObject({ held: false, heldBy: 'b' });
  });

  it('a stop by a runtime that does not hold it leaves the holder alone', () => {
    const a = leaseOf('a');
    const b = leaseOf('b');
    a.renew();
    b.renew();
    b.stop();
    expect(leaseOf('c').renew()).toBe(false);
    expect(a.status()).toMatchObject({ held: true, heldBy: 'a' });
  });
});
