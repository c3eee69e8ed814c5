import type { z } from 'zod';
import { ValidationError } from '../errors';

/** One reason input was refused, located by a dotted path (`lines.0.quantity`). */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** Lists zod's issues as `path: message` pairs an operator can act on. */
export function issuesOf(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}

/**
 * Parses `value` with `schema`, or throws a `ValidationError` whose message names every field
 * at fault, e.g. `Order is invalid: lines.0.quantity: must be greater than zero`.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = issuesOf(result.error);
  throw new ValidationError(`${what} is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
    issues,
  });
}
