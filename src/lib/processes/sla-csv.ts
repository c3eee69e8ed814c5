import type { SlaReportRow } from './queries/sla-report';

const COLUMNS: (keyof SlaReportRow)[] = ['process', 'step', 'warehouse', 'serviceClass', 'targetMs', 'judged', 'met', 'late', 'breached', 'open', 'attainment', 'p50Ms', 'p95Ms', 'p99Ms'];

/** RFC 4180 CSV of an SLA report; text cells that a spreadsheet would run as formulas are neutralised. */
export function slaReportCsv(rows: SlaReportRow[]): string {
  const cell = (value: unknown) => {
    if (value === null || value === undefined) return '';
    let text = typeof value === 'number' ? String(Math.round(value * 1000) / 1000) : String(value);
    if (/^[=+\-@\t\r]/.test(text) && typeof value !== 'number') text = `'${text}`;
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [COLUMNS.join(','), ...rows.map((row) => COLUMNS.map((c) => cell(row[c])).join(','))].join('\r\n') + '\r\n';
}
