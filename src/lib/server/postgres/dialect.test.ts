import { describe, expect, it } from 'vitest';
import { toPostgres } from './dialect';

describe('toPostgres', () => {
  it('numbers placeholders in order, leaving question marks in literals and names alone', () => {
    expect(toPostgres("SELECT * FROM t WHERE a = ? AND b = '?' AND \"c?\" = ? -- why?\n AND d IN (?, ?)")).toBe(
      "SELECT * FROM t WHERE a = $1 AND b = '?' AND \"c?\" = $2 -- why?\n AND d IN ($3, $4)",
    );
  });

  it("keeps SQLite's case-blind LIKE, with its ESCAPE", () => {
    expect(toPostgres("SELECT 1 FROM audit_log WHERE action LIKE ? ESCAPE '\\'")).toBe("SELECT 1 FROM audit_log WHERE action ILIKE $1 ESCAPE '\\'");
  });

  it("turns SQLite's two-argument max and min into GREATEST and LEAST, leaving the aggregates", () => {
    expect(toPostgres('UPDATE incidents SET last_seen = max(last_seen, ?), first_seen = MIN(first_seen, ?) WHERE id = (SELECT max(id) FROM incidents)')).toBe(
      'UPDATE incidents SET last_seen = GREATEST(last_seen, $1), first_seen = LEAST(first_seen, $2) WHERE id = (SELECT max(id) FROM incidents)',
    );
  });

  it('quotes camelCase aliases so PostgreSQL keeps their case', () => {
    expect(toPostgres('SELECT created_at AS createdAt, name AS name, x AS lastUsedAt FROM api_tokens')).toBe(
      'SELECT created_at AS "createdAt", name AS name, x AS "lastUsedAt" FROM api_tokens',
    );
  });

  it('returns the generated key of an insert, unless the statement returns something already', () => {
    const keys = { users: 'id', audit_log: 'seq' };
    expect(toPostgres('INSERT INTO users (login) VALUES (?);', keys)).toBe('INSERT INTO users (login) VALUES ($1) RETURNING id');
    expect(toPostgres('INSERT INTO users (login) VALUES (?) RETURNING id, login', keys)).toBe('INSERT INTO users (login) VALUES ($1) RETURNING id, login');
    expect(toPostgres('INSERT INTO sessions (id_hash) VALUES (?)', keys)).toBe('INSERT INTO sessions (id_hash) VALUES ($1)');
  });

  it("reads doubled quotes inside literals as part of them", () => {
    expect(toPostgres("SELECT 'it''s ?' AS x, ? AS y")).toBe("SELECT 'it''s ?' AS x, $1 AS y");
  });
});
