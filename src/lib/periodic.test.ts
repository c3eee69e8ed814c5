import { describe, expect, it } from 'vitest';
import { startPeriodic } from './periodic';

/** A pass that waits until released, counting how many ran. */
function gatedPass() {
  let runs = 0;
  let release: () => void = () => undefined;
  const pass = async () => {
    runs++;
    await new Promise<void>((resolve) => (release = resolve));
    return runs;
  };
  return { pass, runs: () => runs, release: () => release() };
}

describe('startPeriodic', () => {
  it('joins the pass under way when asked to', async () => {
    const gate = gatedPass();
    const periodic = startPeriodic(gate.pass, { intervalMs: 0, whenBusy: 'join', idle: () => 0 });
    const [a, b] = [periodic.runOnce(), periodic.runOnce()];
    gate.release();
    expect(await Promise.all([a, b])).toEqual([1, 1]);
    expect(gate.runs()).toBe(1);
  });

  it('runs one more pass after the one under way, however many ask, when asked to', async () => {
    const gate = gatedPass();
    const periodic = startPeriodic(gate.pass, { intervalMs: 0, whenBusy: 'again', idle: () => 0 });
    const first = periodic.runOnce();
    const [b, c] = [periodic.runOnce(), periodic.runOnce()];
    gate.release();
    await first;
    await new Promise((r) => setImmediate(r));
    gate.release();
    expect(await Promise.all([b, c])).toEqual([2, 2]);
    expect(gate.runs()).toBe(2);
  });

  it('waits for the pass under way on stop, then answers idle', async () => {
    const gate = gatedPass();
    const periodic = startPeriodic(gate.pass, { intervalMs: 0, whenBusy: 'join', idle: () => -1 });
    void periodic.runOnce();
    let stopped = false;
    const stopping = periodic.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    gate.release();
    await stopping;
    expect(await periodic.runOnce()).toBe(-1);
    expect(gate.runs()).toBe(1);
  });

  it('runs on its timer', async () => {
    let runs = 0;
    const periodic = startPeriodic(async () => ++runs, { intervalMs: 5, whenBusy: 'join', idle: () => 0 });
    await new Promise((r) => setTimeout(r, 60));
    await periodic.stop();
    expect(runs).toBeGreaterThanOrEqual(2);
  });
});
