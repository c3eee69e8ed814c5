/** The signals that ask a Crossdock process to stop: Ctrl+C, a supervisor, or the terminal closing. */
const stopSignals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Resolves with the signal's name on the first SIGINT, SIGTERM or SIGHUP. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals) => {
      for (const s of stopSignals) process.off(s, done);
      resolve(signal);
    };
    for (const s of stopSignals) process.once(s, done);
  });
}
