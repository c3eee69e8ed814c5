/**
 * WHERE conditions for the console's SQLite queries, each added with its bound values (never
 * spliced text): `add` when a filter is given, then `clause` and `params` for the statement.
 */
export class SqlConditions {
  readonly params: unknown[] = [];
  private readonly conditions: string[] = [];

  add(sql: string, ...values: unknown[]): this {
    this.conditions.push(sql);
    this.params.push(...values);
    return this;
  }

  /** `WHERE a AND b`, or nothing when no condition was added. */
  get clause(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}

/** Text for `LIKE … ESCAPE '\'` that matches itself literally. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
