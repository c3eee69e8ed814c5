import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/**
 * How the simulated legacy WMS reads and writes its files: `;`-separated ISO-8859-1 with CRLF,
 * a header and a `TRL;<rows>` trailer. Written on its own (not shared with the adapter) so the
 * adapter is tested against the format, not against itself.
 */
export class BatchFiles {
  #seq = 0;
  /** The last file written to `/out`, for re-sending it under the same name. */
  last: { name: string; data: Buffer } | undefined;
  /** A file written without its trailer, finished on the next `completePending()`. */
  #pending: { path: string; data: Buffer } | undefined;

  constructor(readonly root: string) {
    for (const dir of ['in', 'in/done', 'out', 'archive', 'error']) mkdirSync(join(root, dir), { recursive: true });
  }

  /** Complete files waiting in `/in` (temp names are someone still writing). */
  inbox(): { name: string; rows: string[][] }[] {
    return readdirSync(join(this.root, 'in'))
      .filter((n) => n.endsWith('.csv'))
      .sort()
      .map((name) => {
        const text = readFileSync(join(this.root, 'in', name)).toString('latin1');
        const records: string[][] = parse(text, { delimiter: ';', relax_column_count: true, skip_empty_lines: true });
        return { name, rows: records.filter((r) => r[0] !== 'TRL') };
      });
  }

  done(name: string): void {
    renameSync(join(this.root, 'in', name), join(this.root, 'in/done', name));
  }

  /**
   * Writes a file to `/out`. `mode` reproduces what real legacy systems do: `atomic` (temp +
   * rename), `half` (the first half now under the final name, no trailer, the rest later), or
   * `shortRow` (one row loses its last two fields).
   */
  write(prefix: string, header: string[], rows: string[][], mode: 'atomic' | 'half' | 'shortRow' = 'atomic'): string {
    const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const name = `${prefix}_${stamp}_${String(++this.#seq).padStart(6, '0')}.csv`;
    const body = mode === 'shortRow' && rows.length > 0 ? [rows[0].slice(0, -2), ...rows.slice(1)] : rows;
    const text = stringify([header, ...body], { delimiter: ';', record_delimiter: '\r\n' }) + `TRL;${rows.length}\r\n`;
    const data = Buffer.from(text, 'latin1');
    const path = join(this.root, 'out', name);
    if (mode === 'half') {
      writeFileSync(path, data.subarray(0, Math.floor(data.length / 2)));
      this.#pending = { path, data };
    } else {
      writeFileSync(`${path}.tmp`, data);
      renameSync(`${path}.tmp`, path);
    }
    this.last = { name, data };
    return name;
  }

  /** Finishes a half-written file. */
  completePending(): void {
    if (!this.#pending) return;
    writeFileSync(this.#pending.path, this.#pending.data);
    this.#pending = undefined;
  }

  /** Drops the last file into `/out` again under the same name, as WMSs do after a timeout. */
  resendLast(): string | undefined {
    if (!this.last) return undefined;
    writeFileSync(join(this.root, 'out', this.last.name), this.last.data);
    return this.last.name;
  }
}

/** `MM/DD/YYYY HH:mm:ss` in UTC, as the WMS writes dates. */
export function wmsDate(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}
