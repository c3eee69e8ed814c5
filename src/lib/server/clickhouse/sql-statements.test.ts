import { describe, expect, it } from 'vitest';
import { splitStatements } from './sql-statements';

describe('splitStatements', () => {
  it('splits on semicolons and drops comments and empty statements', () => {
    const sql = `-- a table
CREATE TABLE a (x UInt8) ENGINE = Memory;
/* a view; with a semicolon */
CREATE VIEW v AS SELECT x FROM a;;
`;
    expect(splitStatements(sql)).toEqual([
      'CREATE TABLE a (x UInt8) ENGINE = Memory',
      'CREATE VIEW v AS SELECT x FROM a',
    ]);
  });

  it('keeps semicolons inside strings, identifiers and escaped quotes', () => {
    const sql = `SELECT 'a;b', 'it''s; fine', 'back\\'slash;', \`odd;name\` FROM t; SELECT "x;y"`;
    expect(splitStatements(sql)).toEqual([
      `SELECT 'a;b', 'it''s; fine', 'back\\'slash;', \`odd;name\` FROM t`,
      'SELECT "x;y"',
    ]);
  });

  it('refuses unterminated quotes and comments', () => {
    expect(() => splitStatements("SELECT 'open")).toThrow(/unterminated ' quote/);
    expect(() => splitStatements('SELECT 1 /* open')).toThrow(/unterminated \/\* comment/);
  });
});
