import Decimal from 'decimal.js';
import { z } from 'zod';

/**
 * An exact decimal number carried as a string (`"12"`, `"0.125"`), so quantities and weights
 * never drift through binary floating point. Accepts a finite number or a decimal string and
 * normalises it (`"012.50"` → `"12.5"`).
 */
export const DecimalString = z
  .union([
    z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal number such as "12" or "0.5"'),
    z.number().refine(Number.isFinite, 'must be a finite number'),
  ])
  .transform((value) => new Decimal(value).toFixed());
export type DecimalString = z.output<typeof DecimalString>;

/** A decimal greater than zero. */
export const PositiveDecimal = DecimalString.refine((v) => new Decimal(v).gt(0), 'must be greater than zero');

/** A decimal of zero or more. */
export const NonNegativeDecimal = DecimalString.refine((v) => new Decimal(v).gte(0), 'must not be negative');

/** An RFC 3339 timestamp with a time-zone offset, e.g. `2026-11-27T09:30:00Z`. */
export const Timestamp = z.iso.datetime({ offset: true, error: 'must be an RFC 3339 timestamp with a time zone' });
export type Timestamp = z.infer<typeof Timestamp>;

/** Crossdock's stock-keeping unit code: the Odoo `default_code`. */
export const Sku = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'must be letters, digits, and . _ / - (no spaces)');
export type Sku = z.infer<typeof Sku>;

/** An identifier assigned by some system: non-empty, printable, bounded. */
export const Identifier = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[\x21-\x7E]+$/, 'must be printable ASCII without spaces');

/** How urgently a message moves: separate priorities, concurrency pools and retry budgets. */
export const ServiceClass = z.enum(['realtime', 'standard', 'batch']);
export type ServiceClass = z.infer<typeof ServiceClass>;

/** An ISO 3166-1 alpha-2 country code, upper case. */
export const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as "US"');
