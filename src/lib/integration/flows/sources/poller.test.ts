import { describe, expect, it } from 'vitest';
import { startPoller } from './poller';

describe('startPoller', () => {
  it('never runs two rounds at once, joins pokes that arrive while one waits, and survives failures', async () => {
    let running = 0;
    let most = 0;
    let rounds = 0;
    const errors: unknown[] = [];
    const poller = startPoller(
      10_000,
      async () => {
        running++;
        most = Math.max(most, running);
        rounds++;
        await new Promise((r) => setTimeout(r, 20));
        running--;
        if (rounds === 2) throw new Error('partner down');
      },
      (e) => errors.push(e),
    );
    await new Promise((r) => setTimeout(r, 5));
    // The first round is under way; five pokes while it runs make one more round, not five.
    await Promise.all([poller.poke(), poller.poke(), poller.poke(), poller.poke(), poller.poke()]);
    expect(rounds).toBe(2);
    expect(most).toBe(1);
    expect(errors).toHaveLength(1);
    await poller.poke();
    expect(rounds).toBe(3);
    await poller.stop();
    await poller.poke();
    expect(rounds).toBe(3);
  });
});
