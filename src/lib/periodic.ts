/** A pass of background work run on a timer and on demand. */
export interface Periodic<T> {
  /** One pass now (see `whenBusy` for a pass already under way). */
  runOnce(): Promise<T>;
  /** Stops the timer and waits for the pass under way; later `runOnce` calls answer `idle`. */
  stop(): Promise<void>;
}

export interface PeriodicOptions<T> {
  /** Between the end of one timed pass and the start of the next; 0 runs passes only on `runOnce`. */
  intervalMs: number;
  /**
   * Asked while a pass runs: `join` answers with that pass (work that reads everything each time);
   * `again` with one more pass right after it, however many ask (work that may have arrived meanwhile).
   */
  whenBusy: 'join' | 'again';
  /** What `runOnce` answers once stopped. */
  idle: () => T;
  /**
   * Asked before each timed pass: false skips it (another replica holds the duty's lease).
   * Passes asked for with `runOnce` always run. @defaultValue always
   */
  active?: () => boolean;
}

/**
 * Runs `pass` every `intervalMs` and on demand, never two at once, with unref'd timers (they never
 * keep the process alive). The exception intake, alert evaluation and mail delivery run this way.
 * `pass` must not reject: it reports its own problems.
 */
export function startPeriodic<T>(pass: () => Promise<T>, options: PeriodicOptions<T>): Periodic<T> {
  let stopped = false;
  let running: Promise<T> | undefined;
  let queued: Promise<T> | undefined;

  const runOnce = (): Promise<T> => {
    if (stopped) return Promise.resolve(options.idle());
    if (!running) {
      running = pass().finally(() => (running = undefined));
      return running;
    }
    if (options.whenBusy === 'join') return running;
    queued ??= running.then(() => {
      queued = undefined;
      return runOnce();
    });
    return queued;
  };

  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (stopped || options.intervalMs <= 0) return;
    timer = setTimeout(() => void (options.active?.() === false ? Promise.resolve() : runOnce()).finally(schedule), options.intervalMs);
    timer.unref();
  };
  schedule();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}

/**
 * Reports each source's problem once, not every pass, until its message changes or the source
 * recovers (`clear`): a runtime or mail server that stays down is one log line, not one a pass.
 */
export class ProblemReporter {
  readonly #last = new Map<string, string>();

  constructor(private readonly onError?: (source: string, error: Error) => void) {}

  report(source: string, error: Error): void {
    if (this.#last.get(source) === error.message) return;
    this.#last.set(source, error.message);
    this.onError?.(source, error);
  }

  clear(source: string): void {
    this.#last.delete(source);
  }
}
