/**
 * Splits a migration file into single statements, because ClickHouse's HTTP interface runs one
 * statement per request. Semicolons inside quotes, backticks and comments do not split.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
      current += '\n';
    } else if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end === -1) throw new SyntaxError('unterminated /* comment');
      i = end + 2;
      current += ' ';
    } else if (ch === "'" || ch === '"' || ch === '`') {
      const end = closingQuote(sql, i);
      current += sql.slice(i, end + 1);
      i = end + 1;
    } else if (ch === ';') {
      push(statements, current);
      current = '';
      i++;
    } else {
      current += ch;
      i++;
    }
  }
  push(statements, current);
  return statements;
}

/** Where the quote opened at `start` closes (doubled quotes and backslash escapes inside); throws SyntaxError when it never does. */
export function closingQuote(sql: string, start: number): number {
  const quote = sql[start];
  for (let i = start + 1; i < sql.length; i++) {
    if (sql[i] === '\\') i++;
    else if (sql[i] === quote) {
      if (sql[i + 1] === quote) i++;
      else return i;
    }
  }
  throw new SyntaxError(`unterminated ${quote} quote starting at offset ${start}`);
}

function push(statements: string[], statement: string) {
  const trimmed = statement.trim();
  if (trimmed) statements.push(trimmed);
}
