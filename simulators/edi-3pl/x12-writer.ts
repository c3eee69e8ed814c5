/**
 * The simulated 3PL writes X12 by hand, like the many small EDI translators in the field, so the
 * adapter is tested against the standard rather than against node-x12 talking to itself. It can
 * also write defects on purpose (a wrong SE01 count).
 */
export interface X12Party {
  id: string;
  qualifier: string;
}

export function interchange(
  from: X12Party,
  to: X12Party,
  isaControl: number,
  gsControl: number,
  functionalId: string,
  sets: { id: string; segments: string[][] }[],
  options: { wrongSegmentCount?: boolean } = {},
): string {
  const now = new Date();
  const iso = now.toISOString();
  const yymmdd = iso.slice(2, 10).replace(/-/g, '');
  const ccyymmdd = iso.slice(0, 10).replace(/-/g, '');
  const hhmm = iso.slice(11, 16).replace(':', '');
  const isa = String(isaControl).padStart(9, '0');
  const lines: string[] = [
    `ISA*00*${' '.repeat(10)}*00*${' '.repeat(10)}*${from.qualifier}*${from.id.padEnd(15)}*${to.qualifier}*${to.id.padEnd(15)}*${yymmdd}*${hhmm}*U*00401*${isa}*0*P*>`,
    `GS*${functionalId}*${from.id}*${to.id}*${ccyymmdd}*${hhmm}*${gsControl}*X*004010`,
  ];
  sets.forEach((set, i) => {
    const st = String(i + 1).padStart(4, '0');
    lines.push(`ST*${set.id}*${st}`, ...set.segments.map((s) => s.join('*')));
    const count = set.segments.length + 2 + (options.wrongSegmentCount ? 1 : 0);
    lines.push(`SE*${count}*${st}`);
  });
  lines.push(`GE*${sets.length}*${gsControl}`, `IEA*1*${isa}`);
  return lines.join('~\n') + '~\n';
}

/** Splits an interchange into segments of elements (the 3PL's own reader; tolerant of newlines). */
export function segments(text: string): string[][] {
  return text
    .split('~')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => s.split('*'));
}

export const x12Date = (d = new Date()) => d.toISOString().slice(0, 10).replace(/-/g, '');
