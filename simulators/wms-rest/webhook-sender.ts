import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { Announcement } from './warehouse-state';
import { sleep } from './sim-kit';

/** How webhook delivery misbehaves, like real at-least-once senders. */
export interface DeliveryFaults {
  /** Fraction of messages sent more than once with the same `webhook-id`. */
  duplicateRate: number;
  /** How many copies such a message is sent in (2 or more). */
  duplicateCopies: number;
  /** Hold each message back and send it after the next one. */
  reorder: boolean;
  /** Fraction of messages never sent at all (reconciliation must find them). */
  dropRate: number;
  /** Fraction of messages whose body is truncated JSON (still correctly signed). */
  malformedRate: number;
}

export interface DeliveryStats {
  queued: number;
  delivered: number;
  duplicated: number;
  dropped: number;
  malformed: number;
  failedAttempts: number;
  abandoned: number;
}

/**
 * Signs and posts webhooks per Standard Webhooks, retrying non-2xx answers with backoff (the
 * same `webhook-id`, a fresh timestamp and signature per attempt), and injects duplicates,
 * re-ordering, drops and malformed bodies when told to.
 */
export class WebhookSender {
  readonly stats: DeliveryStats = { queued: 0, delivered: 0, duplicated: 0, dropped: 0, malformed: 0, failedAttempts: 0, abandoned: 0 };
  readonly #signer: Webhook;
  #held: { id: string; body: string } | undefined;
  #inFlight = new Set<Promise<void>>();

  constructor(
    secret: string,
    private readonly target: () => string | undefined,
    private readonly faults: () => DeliveryFaults,
    private readonly random: () => number,
    /** Delays between attempts, in ms; the real schedule is minutes to hours. */
    private readonly backoffMs: number[] = [50, 250, 1000],
  ) {
    this.#signer = new Webhook(secret);
  }

  announce(announcements: Announcement[]): void {
    for (const a of announcements) {
      if (!this.target()) continue;
      this.stats.queued += 1;
      const faults = this.faults();
      if (this.random() < faults.dropRate) {
        this.stats.dropped += 1;
        continue;
      }
      let body = JSON.stringify({ type: a.type, timestamp: new Date().toISOString(), data: a.data });
      if (this.random() < faults.malformedRate) {
        body = body.slice(0, Math.floor(body.length / 2));
        this.stats.malformed += 1;
      }
      const message = { id: `msg_${randomUUID()}`, body };
      const copies = this.random() < faults.duplicateRate ? faults.duplicateCopies : 1;
      if (copies > 1) this.stats.duplicated += 1;
      if (faults.reorder && !this.#held) {
        this.#held = message;
        continue;
      }
      for (let i = 0; i < copies; i++) this.#track(this.#deliver(message.id, message.body));
      if (this.#held) {
        const held = this.#held;
        this.#held = undefined;
        this.#track(this.#deliver(held.id, held.body));
      }
    }
  }

  /** Sends anything held back for re-ordering and waits until every delivery settled. */
  async idle(): Promise<void> {
    if (this.#held) {
      const held = this.#held;
      this.#held = undefined;
      this.#track(this.#deliver(held.id, held.body));
    }
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  #track(p: Promise<void>) {
    this.#inFlight.add(p);
    void p.finally(() => this.#inFlight.delete(p));
  }

  async #deliver(id: string, body: string): Promise<void> {
    for (let attempt = 0; attempt <= this.backoffMs.length; attempt++) {
      const url = this.target();
      if (!url) return;
      const timestamp = new Date();
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': id,
            'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
            'webhook-signature': this.#signer.sign(id, timestamp, body),
          },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        await response.arrayBuffer();
        if (response.ok) {
          this.stats.delivered += 1;
          return;
        }
      } catch {
        // Unreachable receiver: same as a non-2xx, retry below.
      }
      this.stats.failedAttempts += 1;
      if (attempt < this.backoffMs.length) await sleep(this.backoffMs[attempt]);
    }
    this.stats.abandoned += 1;
  }
}
