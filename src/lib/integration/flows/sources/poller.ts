/** A running poll loop. */
export interface Poller {
  /** Runs one round now (after the one in progress, if any); pokes while one is already waiting join it. */
  poke(): Promise<void>;
  /** Stops the loop; resolves when the round in progress has finished. */
  stop(): Promise<void>;
}

/**
 * Calls `work` every `intervalMs`, never two rounds at once (a slow round delays the next rather
 * than piling up), reporting failures to `onError` and carrying on: one bad round never stops
 * the loop, and the next round picks up what the failed one left.
 */
export function startPoller(intervalMs: number, work: () => Promise<void>, onError: (error: unknown) => void): Poller {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;
  const round = () => {
    if (queued) return queued;
    queued = running = running.then(async () => {
      queued = undefined;
      if (stopped) return;
      try {
        await work();
      } catch (error) {
        onError(error);
      }
    });
    return running;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void round().then(schedule), intervalMs);
  };
  void round().then(schedule);
  return {
    poke: round,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
