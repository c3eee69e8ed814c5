import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { ValidationError } from '../../errors';

/**
 * The legacy WMS's file layout: ISO-8859-1 text, `;`-separated, CRLF, a header row, and a trailer
 * `TRL;<data rows>` as the last line. The trailer is what makes a file complete: a file without
 * it is still being written (the WMS does not write to a temp name first) and is left alone.
 */
export const DELIMITER = ';';
const TRAILER = 'TRL';

/** What kind of file a name announces, by its prefix. */
export const FileKind = {
  ACK: 'ack',
  STS: 'status',
  SHP: 'shipment',
  INV: 'inventory',
  RET: 'return',
  OST: 'order_status_report',
} as const;
export type FileKind = (typeof FileKind)[keyof typeof FileKind];

export function kindOf(fileName: string): FileKind | undefined {
  const prefix = fileName.slice(0, 3) as keyof typeof FileKind;
  return fileName[3] === '_' && fileName.endsWith('.csv') ? FileKind[prefix] : undefined;
}

/** Writes header, rows and trailer as the WMS expects them. */
export function writeCsv(columns: readonly string[], rows: readonly Record<string, string>[]): Buffer {
  const body = stringify(rows as Record<string, string>[], { header: true, columns: [...columns], delimiter: DELIMITER, record_delimiter: '\r\n' });
  return Buffer.from(`${body}${TRAILER}${DELIMITER}${rows.length}\r\n`, 'latin1');
}

export type ParsedCsv = { complete: false } | { complete: true; rows: Record<string, string>[] };

/**
 * Parses a WMS file against its expected columns. Returns `complete: false` when the trailer is
 * missing (half-written); throws a `ValidationError` naming the row for a short or long row, a
 * wrong header, or a trailer count that disagrees with the rows.
 */
export function readCsv(data: Buffer, columns: readonly string[], fileName: string): ParsedCsv {
  const text = data.toString('latin1');
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  const trailer = lines.at(-1)?.split(DELIMITER);
  if (!trailer || trailer[0] !== TRAILER || !/^\d+$/.test(trailer[1] ?? '')) return { complete: false };
  let records: string[][];
  try {
    records = parse(lines.slice(0, -1).join('\r\n'), { delimiter: DELIMITER, relax_column_count: true, skip_empty_lines: true });
  } catch (error) {
    throw new ValidationError(`${fileName} is not valid CSV: ${(error as Error).message}`, { fileName }, { cause: error });
  }
  const [header, ...body] = records;
  if (!header || header.join(DELIMITER) !== columns.join(DELIMITER))
    throw new ValidationError(`${fileName} header is ${JSON.stringify(header?.join(DELIMITER))}, expected ${columns.join(DELIMITER)}`, { fileName });
  if (Number(trailer[1]) !== body.length)
    throw new ValidationError(`${fileName} trailer counts ${trailer[1]} rows but the file has ${body.length}`, { fileName });
  const rows = body.map((record, index) => {
    if (record.length !== columns.length)
      throw new ValidationError(`${fileName} row ${index + 2} has ${record.length} fields, expected ${columns.length}`, { fileName, row: index + 2 });
    return Object.fromEntries(columns.map((c, i) => [c, record[i].trim()]));
  });
  return { complete: true, rows };
}

/** `MM/DD/YYYY HH:mm:ss` (the WMS writes UTC) → RFC 3339. */
export function fromWmsDate(value: string, fileName: string): string {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value);
  if (!m) throw new ValidationError(`${fileName}: ${JSON.stringify(value)} is not a MM/DD/YYYY date`, { fileName, value });
  return `${m[3]}-${m[1]}-${m[2]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}Z`;
}

/** RFC 3339 → `MM/DD/YYYY`, in UTC. */
export function toWmsDate(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()}`;
}

/** The columns of each file, in order. */
export const Columns = {
  order: ['ACTION', 'ORDER_NO', 'LINE_NO', 'ITEM_CODE', 'QTY', 'UOM', 'SHIP_NAME', 'SHIP_ADDR1', 'SHIP_ADDR2', 'SHIP_CITY', 'SHIP_STATE', 'SHIP_ZIP', 'SHIP_COUNTRY', 'CARRIER', 'SERVICE', 'ORDER_DATE'],
  ack: ['FILE_NAME', 'ORDER_NO', 'RESULT', 'REASON'],
  status: ['ORDER_NO', 'WMS_ORDER', 'STATUS', 'STATUS_DATE'],
  shipment: ['ORDER_NO', 'SHIPMENT_NO', 'LINE_NO', 'ITEM_CODE', 'QTY_ORDERED', 'QTY_SHIPPED', 'UOM', 'CARTON_ID', 'TRACKING_NO', 'CARRIER', 'SHIP_DATE', 'WEIGHT_KG'],
  inventory: ['ITEM_CODE', 'LOCATION', 'QTY_ON_HAND', 'QTY_ALLOCATED', 'UOM', 'SNAPSHOT_DATE'],
  return: ['RMA_NO', 'ORDER_NO', 'ITEM_CODE', 'QTY', 'UOM', 'CONDITION', 'REASON', 'RECEIVED_DATE'],
  order_status_report: ['ORDER_NO', 'WMS_ORDER', 'STATUS', 'STATUS_DATE'],
} as const;
