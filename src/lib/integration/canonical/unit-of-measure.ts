import Decimal from 'decimal.js';
import { z } from 'zod';
import { MasterDataError } from '../errors';
import { PositiveDecimal } from './primitives';

/**
 * A unit of measure within a category (count, weight, volume, length). `ratio` is how many of
 * the category's reference unit one of this unit holds: a case of 12 has ratio 12 against
 * "Units"; a gram has ratio 0.001 against "kg". `rounding` is the smallest quantity the unit
 * can express (1 for whole cases, 0.001 for kilograms).
 */
export const UnitOfMeasure = z.object({
  code: z.string().min(1).max(32),
  name: z.string().min(1),
  category: z.enum(['count', 'weight', 'volume', 'length']),
  ratio: PositiveDecimal,
  rounding: PositiveDecimal.default('1'),
});
export type UnitOfMeasure = z.output<typeof UnitOfMeasure>;

/**
 * Converts a quantity exactly between two units of one category: `quantity × from.ratio ÷ to.ratio`,
 * computed in decimal arithmetic. Throws a master-data error when the categories differ
 * (kilograms cannot become cases) or when the result is not a whole multiple of the target's
 * rounding (13 units cannot ship as cases of 12): silently rounding would create or lose stock.
 *
 * @example convertQuantity('3', caseOf12, unit) // '36'
 */
export function convertQuantity(quantity: string, from: UnitOfMeasure, to: UnitOfMeasure): string {
  if (from.category !== to.category)
    throw new MasterDataError(`cannot convert ${from.code} (${from.category}) to ${to.code} (${to.category})`, {
      from: from.code,
      to: to.code,
    });
  const result = new Decimal(quantity).times(from.ratio).dividedBy(to.ratio);
  if (!result.mod(to.rounding).isZero())
    throw new MasterDataError(
      `${quantity} ${from.code} is ${result.toSignificantDigits(12).toFixed()} ${to.code}, not a multiple of its rounding ${to.rounding}`,
      { from: from.code, to: to.code, quantity },
    );
  return result.toFixed();
}
