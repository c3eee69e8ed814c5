import { closingQuote } from './sql-statements';

/**
 * How the migrator's statements run on a replicated ClickHouse cluster (one shard, N replicas):
 * every DDL statement gets `ON CLUSTER <name>` so each replica runs it, and every `*MergeTree`
 * engine becomes its `Replicated*MergeTree` form so the replicas keep the same data. The
 * migration files stay as written (their checksums are history); this is how they are applied.
 * `INSERT` and `SELECT` pass unchanged: an insert into a replicated table reaches every replica.
 *
 * Pure text in, text out, with a small tokenizer that knows ClickHouse's quotes and comments, so
 * nothing inside a string, a quoted name or a view's query is ever rewritten. A statement it does
 * not know how to place on a cluster is refused rather than run on one replica only.
 */

/** ZooKeeper/Keeper path of a replicated table, from the server's `{shard}` macro and the table's name. */
export const REPLICA_PATH = "'/clickhouse/tables/{shard}/{database}/{table}'";
/** This replica's name within the path, from the server's `{replica}` macro. */
export const REPLICA_NAME = "'{replica}'";

/** A cluster name that is not a plain identifier, or a statement that cannot be put on a cluster. */
export class ClusterDdlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterDdlError';
  }
}

const CLUSTER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether `name` can be spliced into `ON CLUSTER` as it is: letters, digits and `_`, not starting with a digit. */
export function isClusterName(name: string): boolean {
  return CLUSTER_NAME.test(name);
}

/**
 * Rewrites one statement for `cluster`:
 * - `CREATE TABLE|MATERIALIZED VIEW|VIEW|DICTIONARY|DATABASE`, `ALTER TABLE`, `DROP …`,
 *   `TRUNCATE`, `OPTIMIZE TABLE`, `DELETE FROM`: `ON CLUSTER` right after the object's name;
 * - `RENAME …`, `EXCHANGE …`: `ON CLUSTER` at the end, where their grammar puts it;
 * - `ENGINE = XMergeTree(args)` in a `CREATE`: `ReplicatedXMergeTree(path, replica, args)`;
 * - `INSERT`, `SELECT`, `WITH`: unchanged.
 *
 * @throws ClusterDdlError for a cluster name that is not a plain identifier, a statement that
 * already names a cluster, a table that leaves its engine to the server's default, or any other
 * kind of statement.
 * @example
 * forCluster('CREATE TABLE IF NOT EXISTS t (v UInt64) ENGINE = ReplacingMergeTree(v) ORDER BY v', 'ops')
 * // CREATE TABLE IF NOT EXISTS t ON CLUSTER ops (v UInt64) ENGINE = ReplicatedReplacingMergeTree(
 * //   '/clickhouse/tables/{shard}/{database}/{table}', '{replica}', v) ORDER BY v   (on one line)
 */
export function forCluster(statement: string, cluster: string): string {
  if (!isClusterName(cluster))
    throw new ClusterDdlError(`cluster name ${JSON.stringify(cluster)} must be a plain identifier: letters, digits and _, not starting with a digit`);
  const tokens = tokenize(statement);
  const at = new Reader(tokens, statement);
  const clause = ` ON CLUSTER ${cluster}`;
  const edits: Edit[] = [];
  /** ON CLUSTER goes right after the object's name, the token at `name`. */
  const afterName = (name: number) => {
    if (at.words(name + 1, 'ON', 'CLUSTER')) throw namesCluster(statement);
    edits.push({ at: tokens[name].end, text: clause });
  };
  const head = at.word(0);

  if (head === 'INSERT' || head === 'SELECT' || head === 'WITH') return statement;
  if (head === 'CREATE') {
    let i = at.words(1, 'OR', 'REPLACE') ? 3 : 1;
    const kind = at.words(i, 'MATERIALIZED', 'VIEW') ? 'MATERIALIZED VIEW' : at.word(i);
    if (!['TABLE', 'MATERIALIZED VIEW', 'VIEW', 'DICTIONARY', 'DATABASE'].includes(kind)) throw unsupported(statement);
    i += kind.split(' ').length;
    if (at.words(i, 'IF', 'NOT', 'EXISTS')) i += 3;
    const name = at.nameEnd(i);
    afterName(name);
    if (kind === 'TABLE' || kind === 'MATERIALIZED VIEW') edits.push(...replicatedEngine(at, name + 1, kind, statement));
  } else if (head === 'ALTER' && at.word(1) === 'TABLE') {
    afterName(at.nameEnd(2));
  } else if (head === 'DROP' && ['TABLE', 'VIEW', 'DICTIONARY', 'DATABASE'].includes(at.word(1))) {
    const name = at.nameEnd(at.words(2, 'IF', 'EXISTS') ? 4 : 2);
    if (tokens[name + 1]?.text === ',') throw new ClusterDdlError(`drop one object per statement on a cluster: ${excerpt(statement)}`);
    afterName(name);
  } else if (head === 'TRUNCATE') {
    let i = at.word(1) === 'TABLE' ? 2 : 1;
    if (at.words(i, 'IF', 'EXISTS')) i += 2;
    afterName(at.nameEnd(i));
  } else if ((head === 'OPTIMIZE' && at.word(1) === 'TABLE') || (head === 'DELETE' && at.word(1) === 'FROM')) {
    afterName(at.nameEnd(2));
  } else if (head === 'RENAME' || head === 'EXCHANGE') {
    // Their grammar puts ON CLUSTER after the last pair of names; they hold no query to confuse it with.
    if (tokens.some((t, i) => t.upper === 'ON' && at.word(i + 1) === 'CLUSTER')) throw namesCluster(statement);
    edits.push({ at: tokens[tokens.length - 1].end, text: clause });
  } else {
    throw unsupported(statement);
  }
  return applyEdits(statement, edits);
}

/** `ENGINE = XMergeTree(args)` → `ENGINE = ReplicatedXMergeTree(path, replica, args)`; checks a table states its engine. */
function replicatedEngine(at: Reader, from: number, kind: string, statement: string): Edit[] {
  const { tokens } = at;
  for (let i = from; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.depth !== 0 || token.kind !== 'word') continue;
    // A view's or CREATE … AS SELECT's query starts here; an ENGINE beyond it is not the table's.
    if (token.upper === 'AS' && (['SELECT', 'WITH'].includes(at.word(i + 1)) || tokens[i + 1]?.text === '(')) break;
    if (token.upper !== 'ENGINE') continue;
    const nameAt = tokens[i + 1]?.text === '=' ? i + 2 : i + 1;
    const engine = tokens[nameAt];
    if (!engine || engine.kind !== 'word') throw new ClusterDdlError(`cannot read the engine of: ${excerpt(statement)}`);
    if (!/MergeTree$/.test(engine.text) || /^(Replicated|Shared)/.test(engine.text)) return [];
    const open = tokens[nameAt + 1]?.text === '(' ? nameAt + 1 : undefined;
    const close = open === undefined ? undefined : at.closing(open);
    const args = open === undefined || close === undefined ? '' : statement.slice(tokens[open].end, tokens[close].start).trim();
    return [{
      at: engine.start,
      end: close === undefined ? engine.end : tokens[close].end,
      text: `Replicated${engine.text}(${REPLICA_PATH}, ${REPLICA_NAME}${args ? `, ${args}` : ''})`,
    }];
  }
  // Without ENGINE the server's default_table_engine applies: a plain MergeTree on each replica,
  // which would silently stop replicating. `CREATE TABLE t AS other` copies other's engine instead.
  const copiesAnotherTable = at.word(from) === 'AS' && tokens[from + 1]?.kind !== 'symbol' && !['SELECT', 'WITH'].includes(at.word(from + 1));
  if (kind === 'TABLE' && !copiesAnotherTable)
    throw new ClusterDdlError(`a table on a cluster must state its ENGINE so it can be replicated: ${excerpt(statement)}`);
  return [];
}

function namesCluster(statement: string) {
  return new ClusterDdlError(`statement names a cluster itself; leave that to CLICKHOUSE_CLUSTER: ${excerpt(statement)}`);
}

function unsupported(statement: string) {
  return new ClusterDdlError(
    `cannot run on a cluster (known: CREATE, ALTER TABLE, DROP, TRUNCATE, OPTIMIZE TABLE, DELETE FROM, RENAME, EXCHANGE, INSERT, SELECT): ${excerpt(statement)}`,
  );
}

function excerpt(statement: string): string {
  const flat = statement.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}

interface Edit {
  /** Offset where the replaced text starts (or where text is inserted). */
  at: number;
  /** Offset where the replaced text ends; unset inserts. */
  end?: number;
  text: string;
}

function applyEdits(statement: string, edits: Edit[]): string {
  let result = statement;
  for (const edit of [...edits].sort((a, b) => b.at - a.at))
    result = result.slice(0, edit.at) + edit.text + result.slice(edit.end ?? edit.at);
  return result;
}

interface Token {
  kind: 'word' | 'quoted' | 'string' | 'number' | 'param' | 'symbol';
  text: string;
  /** Upper-cased text of a word, for keyword comparisons. */
  upper: string;
  start: number;
  end: number;
  /** Parentheses open around the token; a `(` counts the depth outside it, as does its `)`. */
  depth: number;
}

/** Keyword and name lookups over a statement's tokens. */
class Reader {
  constructor(
    readonly tokens: Token[],
    private readonly statement: string,
  ) {}

  /** The upper-cased word at `i`, or '' when there is none. */
  word(i: number): string {
    const token = this.tokens[i];
    return token?.kind === 'word' ? token.upper : '';
  }

  words(i: number, ...expected: string[]): boolean {
    return expected.every((word, k) => this.word(i + k) === word);
  }

  /** The index of the last token of the (optionally database-qualified) name starting at `i`. */
  nameEnd(i: number): number {
    const isName = (t: Token | undefined) => t !== undefined && (t.kind === 'word' || t.kind === 'quoted' || t.kind === 'param');
    if (!isName(this.tokens[i])) throw new ClusterDdlError(`cannot find the object's name in: ${excerpt(this.statement)}`);
    return this.tokens[i + 1]?.text === '.' && isName(this.tokens[i + 2]) ? i + 2 : i;
  }

  /** The index of the `)` closing the `(` at `open`. */
  closing(open: number): number {
    const depth = this.tokens[open].depth;
    for (let i = open + 1; i < this.tokens.length; i++) if (this.tokens[i].text === ')' && this.tokens[i].depth === depth) return i;
    throw new ClusterDdlError(`unbalanced parentheses in: ${excerpt(this.statement)}`);
  }
}

/** Splits a statement into tokens, skipping whitespace and comments. */
function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  const push = (kind: Token['kind'], start: number, end: number) => {
    const text = sql.slice(start, end);
    if (text === ')') depth--;
    tokens.push({ kind, text, upper: kind === 'word' ? text.toUpperCase() : text, start, end, depth });
    if (text === '(') depth++;
  };
  while (i < sql.length) {
    const ch = sql[i];
    if (/\s/.test(ch)) i++;
    else if (sql.startsWith('--', i)) i = lineEnd(sql, i);
    else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      if (end === -1) throw new ClusterDdlError('unterminated /* comment');
      i = end + 2;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      const end = quoteEnd(sql, i);
      push(ch === "'" ? 'string' : 'quoted', i, end + 1);
      i = end + 1;
    } else if (ch === '{') {
      const end = sql.indexOf('}', i);
      if (end === -1) throw new ClusterDdlError('unterminated { query parameter');
      push('param', i, end + 1);
      i = end + 1;
    } else if (/[A-Za-z_]/.test(ch)) {
      const end = scan(sql, i, /[A-Za-z0-9_$]/);
      push('word', i, end);
      i = end;
    } else if (/[0-9]/.test(ch)) {
      const end = scan(sql, i, /[0-9A-Za-z_.]/);
      push('number', i, end);
      i = end;
    } else {
      push('symbol', i, i + 1);
      i++;
    }
  }
  return tokens;
}

function lineEnd(sql: string, from: number): number {
  const end = sql.indexOf('\n', from);
  return end === -1 ? sql.length : end + 1;
}

function scan(sql: string, from: number, pattern: RegExp): number {
  let end = from + 1;
  while (end < sql.length && pattern.test(sql[end])) end++;
  return end;
}

function quoteEnd(sql: string, start: number): number {
  try {
    return closingQuote(sql, start);
  } catch (error) {
    throw new ClusterDdlError((error as Error).message);
  }
}
