import { expect } from 'vitest';
import type { z } from 'zod';
import { issuesOf } from '../../src/lib/integration/canonical/validate';

/** Asserts that `schema` refuses `value` and reports `message` at `path` (dotted). */
export function expectIssue(schema: z.ZodType, value: unknown, path: string, message: string | RegExp) {
  const result = schema.safeParse(value);
  expect(result.success, `expected ${path} to be refused`).toBe(false);
  const issues = issuesOf(result.error!);
  const issue = issues.find((i) => i.path === path);
  expect(issue, `no issue at ${path}; got ${JSON.stringify(issues)}`).toBeDefined();
  if (typeof message === 'string') expect(issue!.message).toBe(message);
  else expect(issue!.message).toMatch(message);
}

/** Asserts parse is idempotent: what the schema produced, it accepts unchanged. */
export function expectRoundTrip<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.parse(value);
  const reparsed = schema.parse(JSON.parse(JSON.stringify(parsed)));
  expect(reparsed).toEqual(parsed);
  return parsed;
}
