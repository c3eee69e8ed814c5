import { z } from 'zod';

/**
 * Building blocks for environment schemas. An empty variable (`FOO=`) counts as unset, which is
 * what people mean when they blank a line in an env file.
 */
const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** A TCP port, 1–65535. */
export const port = (fallback: number) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be between 1 and 65535')
      .max(65535, 'must be between 1 and 65535')
      .default(fallback),
  );

/** An optional URL restricted to the given schemes, e.g. `['http:', 'https:']`. */
export const optionalUrl = (schemes: readonly string[]) =>
  z.preprocess(
    blankToUndefined,
    z
      .url({ error: `must be a URL (${schemes.map((s) => s.replace(':', '://')).join(' or ')})`, abort: true })
      .refine((value) => schemes.includes(new URL(value).protocol), {
        error: `must use ${schemes.map((s) => s.replace(':', '://')).join(' or ')}`,
      })
      .optional(),
  );

/** An optional free-text value (API keys, model names). */
export const optionalText = () => z.preprocess(blankToUndefined, z.string().optional());

/** A text value with a default. */
export const text = (fallback: string) => z.preprocess(blankToUndefined, z.string().default(fallback));

/** A bind address. Loopback by default: nothing listens beyond 127.0.0.1 unless configured. */
export const host = (fallback: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9.:-]+$/, 'must be an IP address or host name')
      .default(fallback),
  );

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const IDENTIFIER_RULE = 'must start with a letter or underscore and contain only letters, digits and underscores';

/** A SQL identifier that is safe to use as a ClickHouse database name. */
export const identifier = (fallback: string) =>
  z.preprocess(blankToUndefined, z.string().regex(IDENTIFIER, IDENTIFIER_RULE).default(fallback));

/** An optional SQL identifier, e.g. a ClickHouse cluster name spliced into `ON CLUSTER`. */
export const optionalIdentifier = () => z.preprocess(blankToUndefined, z.string().regex(IDENTIFIER, IDENTIFIER_RULE).optional());

/** A whole number within bounds, e.g. a retention in days. */
export const wholeNumber = (fallback: number, min: number, max: number) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(min, `must be between ${min} and ${max}`)
      .max(max, `must be between ${min} and ${max}`)
      .default(fallback),
  );

/** A yes/no switch: true/false, 1/0, yes/no, on/off. */
export const flag = (fallback: boolean) =>
  z.preprocess(
    (value) => {
      const v = blankToUndefined(value);
      if (typeof v !== 'string') return v;
      const lower = v.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(lower)) return true;
      if (['false', '0', 'no', 'off'].includes(lower)) return false;
      return v;
    },
    z.boolean({ error: 'must be true or false' }).default(fallback),
  );
