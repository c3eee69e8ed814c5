/**
 * Turns the console's SQLite statements into PostgreSQL's dialect. The stores write SQL both
 * engines read (`ON CONFLICT … DO UPDATE`, `RETURNING`, partial indexes); what differs is
 * mechanical and done here, outside string literals and quoted names:
 *
 * - `?` placeholders become `$1`, `$2`, … in order;
 * - `LIKE` becomes `ILIKE` (SQLite's LIKE ignores ASCII case; PostgreSQL's does not);
 * - SQLite's scalar `max(a, b)` and `min(a, b)` become `GREATEST` and `LEAST`;
 * - a camelCase alias (`AS createdAt`) is quoted, or PostgreSQL would fold it to `createdat`;
 * - an `INSERT` into a table with a generated key returns that key, for `lastInsertRowid`.
 *
 * What cannot be said the same way in both (JSON functions) is written twice by its store,
 * chosen by `ConsoleDb.dialect`.
 */
export function toPostgres(sql: string, generatedKeys: Readonly<Record<string, string>> = {}): string {
  let placeholder = 0;
  let out = '';
  for (const { text, quoted } of segments(sql)) {
    if (quoted) {
      out += text;
      continue;
    }
    out += text
      .replace(/\?/g, () => `$${++placeholder}`)
      .replace(/\bLIKE\b/gi, 'ILIKE')
      .replace(/\b(max|min)\(([^(),]+),([^(),]+)\)/gi, (_, fn: string, a: string, b: string) => `${fn.toLowerCase() === 'max' ? 'GREATEST' : 'LEAST'}(${a},${b})`)
      .replace(/\bAS\s+([a-z][a-z0-9]*[A-Z][A-Za-z0-9]*)\b/g, 'AS "$1"');
  }
  const insert = /^\s*INSERT\s+INTO\s+([a-z_][a-z0-9_]*)/i.exec(out);
  const key = insert && generatedKeys[insert[1].toLowerCase()];
  if (key && !/\bRETURNING\b/i.test(out)) out = `${out.replace(/[\s;]+$/, '')} RETURNING ${key}`;
  return out;
}

/** The statement cut into code and quoted parts ('literals', "names", comments), in order. */
function segments(sql: string): { text: string; quoted: boolean }[] {
  const parts: { text: string; quoted: boolean }[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number, quoted: boolean) => {
    if (end > start) parts.push({ text: sql.slice(start, end), quoted });
    start = end;
  };
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      push(i, false);
      i += 1;
      while (i < sql.length) {
        if (sql[i] === c && sql[i + 1] === c) i += 2;
        else if (sql[i] === c) break;
        else i += 1;
      }
      i += 1;
      push(Math.min(i, sql.length), true);
    } else if (c === '-' && sql[i + 1] === '-') {
      push(i, false);
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
      push(i, true);
    } else if (c === '/' && sql[i + 1] === '*') {
      push(i, false);
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
      push(i, true);
    } else i += 1;
  }
  push(sql.length, false);
  return parts;
}
