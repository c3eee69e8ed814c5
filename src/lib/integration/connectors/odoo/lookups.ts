import { z } from 'zod';
import { parseOrThrow } from '../../canonical';
import type { OdooTransport } from './transport';

/**
 * Batched reads of the records the mappings need (products' SKUs, partners' addresses, codes of
 * countries and warehouses): one `read` per model per batch, never one call per line.
 */
export async function readById<S extends z.ZodType>(transport: OdooTransport, model: string, ids: Iterable<number>, fields: string[], schema: S): Promise<Map<number, z.output<S>>> {
  const unique = [...new Set(ids)].filter((id) => id > 0);
  if (unique.length === 0) return new Map();
  const rows = parseOrThrow(
    z.array(schema),
    await transport.call({ model, method: 'read', ids: unique, kwargs: { fields }, context: { active_test: false } }),
    `Odoo ${model} read`,
  );
  return new Map(rows.map((row) => [(row as { id: number }).id, row]));
}

/** The id of a many2one pair (`[id, "name"]`), or undefined for `false`. */
export const idOf = (value: false | [number, string]) => (value ? value[0] : undefined);
/** The display name of a many2one pair. */
export const nameOf = (value: false | [number, string]) => (value ? value[1] : undefined);
/** Odoo's `false` for an empty char as undefined. */
export const text = (value: string | false | undefined) => (value ? value : undefined);
