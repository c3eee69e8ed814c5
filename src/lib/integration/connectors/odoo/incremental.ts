import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseOrThrow } from '../../canonical';
import type { OdooSyncState } from './sync-state';
import type { OdooTransport } from './transport';
import { Versioned } from './wire';

/** One polled stream: a model, the records of interest, and the fields to read. */
export interface SyncStream {
  /** Stable name of the stream; the cursor is kept under it. */
  name: string;
  model: string;
  domain: unknown[];
  fields: string[];
  context?: Record<string, unknown>;
}

/** Changed records, and `commit()` to call once they are safely handed over. */
export interface ChangeBatch<T> {
  items: T[];
  /** Persists the cursor past these records. Until then the next pull returns them again. */
  commit(): void;
}

export interface IncrementalOptions {
  /** How far before the cursor each pull re-reads, in seconds (late commits land in the past). */
  overlapSeconds: number;
  pageSize: number;
  /**
   * Stop after this many new records (a first sync of a big database comes in slices). The cursor
   * then stops at the last row read: rows not read yet are at or after it, so the next pull finds them.
   */
  maxItems?: number;
}

const shift = (odooDatetime: string, seconds: number) =>
  new Date(Date.parse(`${odooDatetime.replace(' ', 'T')}Z`) + seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');

/**
 * Reads what changed since the cursor by `write_date`, the way Odoo allows it to be done
 * safely: `write_date` is the transaction's start time cut to the second, so a transaction that
 * commits late shows up *behind* rows already read. Each pull therefore re-reads an overlap
 * window before the cursor (`>=`, ordered `write_date asc, id asc`) and drops the
 * record versions it already handed over; a strict `(write_date, id) >` keyset would skip
 * those rows for good. A version is the `write_date` plus a digest of the fields read, because
 * two changes within one second share a `write_date` on the wire.
 */
export async function pullChanges(transport: OdooTransport, state: OdooSyncState, stream: SyncStream, options: IncrementalOptions): Promise<ChangeBatch<Versioned>> {
  const cursor = state.cursor(stream.name);
  const since = cursor ? shift(cursor, -options.overlapSeconds) : undefined;
  const domain = since ? [...stream.domain, ['write_date', '>=', since]] : stream.domain;
  const fields = [...new Set(['write_date', ...stream.fields])];
  const fresh: Versioned[] = [];
  const versions: { id: number; writeDate: string; digest: string }[] = [];
  let newest = cursor ?? '';
  for (let offset = 0; ; offset += options.pageSize) {
    const page = parseOrThrow(
      z.array(Versioned),
      await transport.call({ model: stream.model, method: 'search_read', kwargs: { domain, fields, order: 'write_date asc, id asc', offset, limit: options.pageSize }, context: stream.context }),
      `Odoo ${stream.model} search_read`,
    );
    for (const row of page) {
      if (row.write_date > newest) newest = row.write_date;
      const digest = createHash('sha1').update(JSON.stringify(row)).digest('base64url');
      if (state.seen(stream.name, row.id, row.write_date, digest)) continue;
      fresh.push(row);
      versions.push({ id: row.id, writeDate: row.write_date, digest });
    }
    if (page.length < options.pageSize || fresh.length >= (options.maxItems ?? Infinity)) break;
  }
  return {
    items: fresh,
    commit: () => {
      if (!newest) return;
      state.advance(stream.name, versions, newest, shift(newest, -options.overlapSeconds));
    },
  };
}
