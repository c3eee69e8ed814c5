import type { Overview } from '$lib/server/overview';

/**
 * Keeps the overview current from the server-sent event stream. Starts from the server-rendered
 * snapshot; `listen()` opens the stream and returns its disposer.
 */
export class OverviewLive {
  #current = $state<Overview>() as Overview;
  #connected = $state(false);

  constructor(initial: Overview) {
    this.#current = initial;
  }

  get current() {
    return this.#current;
  }

  get connected() {
    return this.#connected;
  }

  listen(): () => void {
    const source = new EventSource('/api/v1/overview/stream');
    source.addEventListener('overview', (event) => {
      this.#current = JSON.parse((event as MessageEvent).data);
      this.#connected = true;
    });
    source.addEventListener('error', () => (this.#connected = false));
    return () => source.close();
  }
}
