import { createHash, randomUUID } from 'node:crypto';
import { SequenceError } from '../errors';
import type { RuntimeDb } from '../store/runtime-db';
import { ledgerTransitions, type LedgerState } from './ledger-states';

/** One message exchanged with a partner. */
export interface LedgerEntry {
  id: string;
  direction: 'in' | 'out';
  partner: string;
  /** `940`, `945`, `order.create`, `inventory.snapshot`... */
  messageType: string;
  /** The partner's or our reference, unique per partner and type (X12 control number, webhook id). */
  externalId: string;
  /** SHA-256 of the raw payload, hex. */
  checksum: string;
  state: LedgerState;
  /** The entry acknowledging this one (a 997 for a 940). */
  ackId: string | null;
  /** The entry this one answers (a 945 answers a 940). */
  parentId: string | null;
  correlationId: string | null;
  /** Exactly the bytes exchanged, so replay and audit start from what was really sent or received. */
  rawPayload: string;
  createdAt: string;
  updatedAt: string;
}

export type NewLedgerEntry = Pick<LedgerEntry, 'direction' | 'partner' | 'messageType' | 'externalId' | 'rawPayload'> &
  Partial<Pick<LedgerEntry, 'state' | 'parentId' | 'correlationId'>>;

/** What recording found. */
export interface Recorded {
  entry: LedgerEntry;
  /** The partner+type+external id was already in the ledger. */
  duplicate: boolean;
  /** For a duplicate: whether the payload is byte-identical (a true repeat) or differs (a conflict to review). */
  samePayload: boolean;
}

interface Row {
  id: string; direction: 'in' | 'out'; partner: string; message_type: string; external_id: string; checksum: string;
  state: LedgerState; ack_id: string | null; parent_id: string | null; correlation_id: string | null; raw_payload: string;
  created_at: string; updated_at: string;
}

const fromRow = (r: Row): LedgerEntry => ({
  id: r.id, direction: r.direction, partner: r.partner, messageType: r.message_type, externalId: r.external_id,
  checksum: r.checksum, state: r.state, ackId: r.ack_id, parentId: r.parent_id, correlationId: r.correlation_id,
  rawPayload: r.raw_payload, createdAt: r.created_at, updatedAt: r.updated_at,
});

/** SHA-256 hex of a payload. */
export const checksumOf = (payload: string) => createHash('sha256').update(payload).digest('hex');

/**
 * The message ledger: every message exchanged with a partner, with a unique
 * (partner, type, external id) so a re-sent file or webhook is recognised, a checksum to tell a
 * repeat from a conflicting correction, the ack link, and the raw payload.
 */
export class MessageLedger {
  constructor(private readonly db: RuntimeDb) {
    db.exec(`CREATE TABLE IF NOT EXISTS message_ledger (
      id TEXT PRIMARY KEY, direction TEXT NOT NULL CHECK (direction IN ('in', 'out')), partner TEXT NOT NULL,
      message_type TEXT NOT NULL, external_id TEXT NOT NULL, checksum TEXT NOT NULL, state TEXT NOT NULL,
      ack_id TEXT REFERENCES message_ledger (id), parent_id TEXT REFERENCES message_ledger (id), correlation_id TEXT,
      raw_payload TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
      UNIQUE (partner, message_type, external_id));
      CREATE INDEX IF NOT EXISTS message_ledger_correlation ON message_ledger (correlation_id);`);
  }

  /** Records a message, or finds the existing entry for the same partner, type and external id. */
  record(input: NewLedgerEntry): Recorded {
    const checksum = checksumOf(input.rawPayload);
    const now = new Date().toISOString();
    const state = input.state ?? (input.direction === 'in' ? 'input_received' : 'output_pending');
    const inserted = this.db
      .prepare(
        `INSERT INTO message_ledger (id, direction, partner, message_type, external_id, checksum, state, parent_id,
           correlation_id, raw_payload, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (partner, message_type, external_id) DO NOTHING`,
      )
      .run(randomUUID(), input.direction, input.partner, input.messageType, input.externalId, checksum, state,
        input.parentId ?? null, input.correlationId ?? null, input.rawPayload, now, now).changes;
    const entry = this.find(input.partner, input.messageType, input.externalId)!;
    return { entry, duplicate: inserted === 0, samePayload: entry.checksum === checksum };
  }

  get(id: string): LedgerEntry | undefined {
    const row = this.db.prepare<[string], Row>('SELECT * FROM message_ledger WHERE id = ?').get(id);
    return row ? fromRow(row) : undefined;
  }

  find(partner: string, messageType: string, externalId: string): LedgerEntry | undefined {
    const row = this.db
      .prepare<[string, string, string], Row>('SELECT * FROM message_ledger WHERE partner = ? AND message_type = ? AND external_id = ?')
      .get(partner, messageType, externalId);
    return row ? fromRow(row) : undefined;
  }

  /** Entries of one partner and type still in `state` since before `before` (ISO): messages waiting too long for an answer. */
  waiting(partner: string, messageType: string, state: LedgerState, before: string, limit = 500): LedgerEntry[] {
    return this.db
      .prepare<[string, string, string, string, number], Row>(
        'SELECT * FROM message_ledger WHERE partner = ? AND message_type = ? AND state = ? AND updated_at < ? ORDER BY updated_at LIMIT ?',
      )
      .all(partner, messageType, state, before, limit)
      .map(fromRow);
  }

  /** Moves an entry to `to`; an invalid move is a `SequenceError` (e.g. processed before received). */
  transition(id: string, to: LedgerState): LedgerEntry {
    const entry = this.get(id);
    if (!entry) throw new SequenceError(`ledger entry ${id} does not exist`);
    if (!ledgerTransitions[entry.state].includes(to))
      throw new SequenceError(`ledger entry ${id} cannot go from ${entry.state} to ${to}`, { id, from: entry.state, to });
    const changed = this.db
      .prepare('UPDATE message_ledger SET state = ?, updated_at = ? WHERE id = ? AND state = ?')
      .run(to, new Date().toISOString(), id, entry.state).changes;
    if (changed === 0) throw new SequenceError(`ledger entry ${id} changed state concurrently`);
    return this.get(id)!;
  }

  /** Links an acknowledgement (a 997) to the entry it acknowledges. */
  linkAck(id: string, ackId: string): void {
    this.db.prepare('UPDATE message_ledger SET ack_id = ?, updated_at = ? WHERE id = ?').run(ackId, new Date().toISOString(), id);
  }

  /** Entries of one business transaction, oldest first. */
  byCorrelation(correlationId: string): LedgerEntry[] {
    return this.db
      .prepare<[string], Row>('SELECT * FROM message_ledger WHERE correlation_id = ? ORDER BY created_at, rowid')
      .all(correlationId)
      .map(fromRow);
  }
}
