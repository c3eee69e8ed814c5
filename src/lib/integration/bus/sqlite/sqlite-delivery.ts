import type { EventEnvelope } from '../../canonical/envelope';
import type { Delivery } from '../types';
import type { BusStatements, LeasedRow } from './statements';

/** One leased row. Settling it (ack, nak, term) frees a slot of its subscription exactly once. */
export class SqliteDelivery implements Delivery {
  readonly id: string;
  readonly topic: string;
  readonly envelope: EventEnvelope;
  readonly attempt: number;
  readonly publishedAt: number;
  private readonly seq: number;
  private settled = false;

  constructor(
    row: LeasedRow,
    private readonly token: string,
    readonly deliveredAt: number,
    private readonly statements: BusStatements,
    private readonly leaseMs: number,
    private readonly onSettle: () => void,
  ) {
    this.seq = row.seq;
    this.id = row.id;
    this.topic = row.topic;
    this.envelope = JSON.parse(row.envelope) as EventEnvelope;
    this.attempt = row.deliveries;
    this.publishedAt = row.published_at;
  }

  async ack(): Promise<boolean> {
    const changed = this.statements.ack.run({ seq: this.seq, token: this.token }).changes === 1;
    this.settle();
    return changed;
  }

  async nak(delayMs: number): Promise<void> {
    this.statements.release.run({ seq: this.seq, token: this.token, at: Date.now() + Math.max(0, delayMs) });
    this.settle();
  }

  async term(): Promise<void> {
    this.statements.ack.run({ seq: this.seq, token: this.token });
    this.settle();
  }

  async extend(): Promise<boolean> {
    return this.statements.extend.run({ seq: this.seq, token: this.token, until: Date.now() + this.leaseMs }).changes === 1;
  }

  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.onSettle();
  }
}
