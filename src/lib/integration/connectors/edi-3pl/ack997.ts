import { ValidationError } from '../../errors';
import { seg, type FunctionalGroup, type TransactionSet } from './x12-document';

/** What a 997 says about one of our groups: AK5 per set (A accepted, E accepted with errors, R rejected). */
export interface FunctionalAck {
  functionalId: string;
  groupControl: string;
  groupStatus: 'A' | 'E' | 'P' | 'R';
  sets: { id: string; control: string; status: 'A' | 'E' | 'R'; errorCode?: string }[];
}

/** Reads a 997 (AK1, AK2/AK5 pairs, AK9). */
export function from997(set: TransactionSet, where: string): FunctionalAck {
  const ak1 = set.segments.find((s) => s.tag === 'AK1');
  const ak9 = set.segments.find((s) => s.tag === 'AK9');
  if (!ak1 || !ak9) throw new ValidationError(`${where}: a 997 needs AK1 and AK9`, { where });
  if (!['A', 'E', 'P', 'R'].includes(ak9.el[1])) throw new ValidationError(`${where}: AK9-01 ${ak9.el[1]} is not A/E/P/R`, { where });
  const sets: FunctionalAck['sets'] = [];
  let pending: { id: string; control: string } | undefined;
  for (const s of set.segments) {
    if (s.tag === 'AK2') pending = { id: s.el[1], control: s.el[2] };
    else if (s.tag === 'AK5' && pending) {
      if (!['A', 'E', 'R'].includes(s.el[1])) throw new ValidationError(`${where}: AK5-01 ${s.el[1]} is not A/E/R`, { where });
      sets.push({ ...pending, status: s.el[1] as 'A' | 'E' | 'R', errorCode: s.el[2] || undefined });
      pending = undefined;
    }
  }
  return { functionalId: ak1.el[1], groupControl: ak1.el[2], groupStatus: ak9.el[1] as FunctionalAck['groupStatus'], sets };
}

/** Our 997 for a partner's group: every set accepted, or the listed ones rejected. */
export function to997(group: FunctionalGroup, rejected: Set<string>, control: string): TransactionSet {
  const accepted = group.sets.filter((s) => !rejected.has(s.control)).length;
  const status = accepted === group.sets.length ? 'A' : accepted === 0 ? 'R' : 'P';
  return {
    id: '997',
    control,
    segments: [
      seg('AK1', group.functionalId, group.control),
      ...group.sets.flatMap((s) => [seg('AK2', s.id, s.control), seg('AK5', rejected.has(s.control) ? 'R' : 'A', ...(rejected.has(s.control) ? ['5'] : []))]),
      seg('AK9', status, String(group.sets.length), String(group.sets.length), String(accepted)),
    ],
  };
}
