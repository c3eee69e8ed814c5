import { X12FatInterchange, X12Interchange, X12Parser } from 'node-x12';
import { ValidationError } from '../../errors';

/**
 * node-x12 behind our own shapes: it tokenises, checks envelopes strictly (SE01, GE01, IEA01
 * counts and matching control numbers) and serialises. It knows no transaction-set schemas, so
 * segment and loop rules live in the per-set modules. Kept behind this interface because the
 * library has been dormant since 2022.
 */

export interface Segment {
  tag: string;
  /** Elements 1..n as `el[1]`…; `el[0]` is unused so positions read like the standard (W12-03 → `el[3]`). */
  el: string[];
}

export interface TransactionSet {
  id: string;
  control: string;
  /** Segments between ST and SE, exclusive. */
  segments: Segment[];
}

export interface FunctionalGroup {
  functionalId: string;
  control: string;
  sets: TransactionSet[];
}

export interface Interchange {
  senderId: string;
  receiverId: string;
  control: string;
  date: string;
  time: string;
  /** ISA14: whether the sender asked for a TA1. */
  ackRequested: boolean;
  groups: FunctionalGroup[];
}

/** Parses one or more interchanges strictly; any envelope fault is a `ValidationError` naming it. */
export function parseX12(text: string, source: string): Interchange[] {
  let parsed: X12Interchange | X12FatInterchange;
  try {
    parsed = new X12Parser(true).parse(text.trim());
  } catch (error) {
    throw new ValidationError(`${source} is not valid X12: ${(error as Error).message}`, { source }, { cause: error });
  }
  const interchanges = parsed instanceof X12FatInterchange ? [...parsed] : [parsed];
  return interchanges.map((ic) => ({
    senderId: ic.header.valueOf(6).trim(),
    receiverId: ic.header.valueOf(8).trim(),
    // node-x12 drops ISA13's leading zeros; the standard's form is nine digits.
    control: ic.header.valueOf(13).padStart(9, '0'),
    date: ic.header.valueOf(9),
    time: ic.header.valueOf(10),
    ackRequested: ic.header.valueOf(14) === '1',
    groups: ic.functionalGroups.map((g) => ({
      functionalId: g.header.valueOf(1),
      control: g.header.valueOf(6),
      sets: g.transactions.map((t) => ({
        id: t.header.valueOf(1),
        control: t.header.valueOf(2),
        segments: t.segments.map((s) => ({ tag: s.tag, el: ['', ...s.elements.map((e) => e.value)] })),
      })),
    })),
  }));
}

export interface EnvelopeIds {
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  /** `T` test or `P` production. */
  usage: 'T' | 'P';
}

/**
 * Serialises one interchange with one functional group: ISA fixed-width, `*` elements, `>`
 * components, `~` terminators; SE/GE/IEA counts are computed by node-x12.
 */
export function writeX12(ids: EnvelopeIds, control: { isa: number; gs: number }, functionalId: string, sets: { id: string; control: string; segments: Segment[] }[], now = new Date()): string {
  const isa = String(control.isa).padStart(9, '0');
  const yymmdd = now.toISOString().slice(2, 10).replace(/-/g, '');
  const ccyymmdd = now.toISOString().slice(0, 10).replace(/-/g, '');
  const hhmm = now.toISOString().slice(11, 16).replace(':', '');
  const ic = new X12Interchange({ segmentTerminator: '~', elementDelimiter: '*', subElementDelimiter: '>' });
  ic.setHeader(['00', ' '.repeat(10), '00', ' '.repeat(10), ids.senderQualifier, ids.senderId.padEnd(15), ids.receiverQualifier, ids.receiverId.padEnd(15), yymmdd, hhmm, 'U', '00401', isa, '0', ids.usage, '>']);
  const group = ic.addFunctionalGroup();
  group.setHeader([functionalId, ids.senderId, ids.receiverId, ccyymmdd, hhmm, String(control.gs), 'X', '004010']);
  for (const set of sets) {
    const tx = group.addTransaction();
    tx.setHeader([set.id, set.control]);
    for (const s of set.segments) tx.addSegment(s.tag, s.el.slice(1));
  }
  return ic.toString();
}

/** Builds a segment from its elements, positions 1..n. */
export const seg = (tag: string, ...elements: string[]): Segment => ({ tag, el: ['', ...elements] });
