import type { Env } from './types';

/** `ir.sequence.next_by_code`: a persisted counter per prefix, padded like Odoo's (5 digits). */
export function nextSequence(env: Env, prefix: string, padding = 5): string {
  const key = `sequence:${prefix}`;
  const next = Number(env.store.meta(key) ?? '0') + 1;
  env.store.setMeta(key, String(next));
  return `${prefix}${String(next).padStart(padding, '0')}`;
}
