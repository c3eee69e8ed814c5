import { error } from '@sveltejs/kit';
import type { z } from 'zod';

/**
 * Parses URL query parameters with a zod schema; names in `lists` may repeat or be
 * comma-separated (`?state=breached,at_risk`). Invalid input is a 400 naming the parameter.
 */
export function parseQuery<S extends z.ZodType>(schema: S, params: URLSearchParams, lists: string[] = []): z.output<S> {
  const input: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key).filter((v) => v !== '');
    if (values.length === 0) continue;
    input[key] = lists.includes(key) ? values.flatMap((v) => v.split(',')) : values[values.length - 1];
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    error(400, `invalid query parameter ${issue.path.join('.') || '(query)'}: ${issue.message}`);
  }
  return result.data;
}
