import Decimal from 'decimal.js';
import { z } from 'zod';
import { parseOrThrow } from '../../canonical';
import { MasterDataError } from '../../errors';
import { readById } from './lookups';
import { UomRow } from './odoo-records';
import type { OdooTransport } from './transport';
import type { OdooDialect } from './version';

/** Odoo's units by name, read once per write: the canonical model names units as Odoo does. */
export async function unitsByName(transport: OdooTransport, dialect: OdooDialect, names: string[]): Promise<Map<string, UomRow>> {
  const unique = [...new Set(names)];
  const rows = parseOrThrow(
    z.array(UomRow),
    await transport.call({ model: 'uom.uom', method: 'search_read', kwargs: { domain: [['name', 'in', unique]], fields: ['name', 'factor', 'rounding', ...(dialect.uomCategories ? ['category_id'] : [])] } }),
    'Odoo uom.uom',
  );
  const byName = new Map(rows.map((u) => [u.name, u]));
  for (const name of unique) if (!byName.has(name)) throw new MasterDataError(`Odoo has no unit of measure named "${name}"`, { uom: name });
  return byName;
}

/**
 * `uom.uom._compute_quantity` in decimal arithmetic: through the category's reference unit.
 * Refuses a conversion across categories and a result the target unit cannot express, instead
 * of letting Odoo round stock away.
 */
export function convertUnits(quantity: string, from: UomRow, to: UomRow): number {
  if (from.id === to.id) return Number(quantity);
  if (from.category_id && to.category_id && from.category_id[0] !== to.category_id[0])
    throw new MasterDataError(`cannot convert ${from.name} to ${to.name}: different unit categories`, { from: from.name, to: to.name });
  const result = new Decimal(quantity).dividedBy(from.factor).times(to.factor).toDecimalPlaces(6);
  if (!result.mod(to.rounding).toDecimalPlaces(6).isZero() && !result.mod(to.rounding).minus(to.rounding).abs().lt(1e-6))
    throw new MasterDataError(`${quantity} ${from.name} is ${result.toFixed()} ${to.name}, not a multiple of its rounding ${to.rounding}`, { from: from.name, to: to.name });
  return result.toNumber();
}

export { readById };
