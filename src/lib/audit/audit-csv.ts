import { stringify } from 'csv-stringify/sync';
import type { AuditEntry } from './audit-log';

// Text a spreadsheet would run as a formula is prefixed with a quote: audit detail carries
// partner error texts, which are hostile input.
const neutralise = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

/** RFC 4180 CSV of audit entries, with the hashes so an export can be checked against the chain. */
export function auditCsv(entries: AuditEntry[]): string {
  return stringify(
    entries.map((e) => [e.seq, new Date(e.at).toISOString(), e.actor, e.action, e.subject, JSON.stringify(e.detail), e.prevHash, e.hash].map((v) => (typeof v === 'string' ? neutralise(v) : v))),
    { header: true, columns: ['seq', 'at', 'actor', 'action', 'subject', 'detail', 'prev_hash', 'hash'], record_delimiter: '\r\n' },
  );
}
