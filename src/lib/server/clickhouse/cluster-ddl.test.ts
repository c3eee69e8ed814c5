import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ClusterDdlError, forCluster, isClusterName } from './cluster-ddl';
import { LEDGER_DDL, readMigrationDir } from './migrations';
import { splitStatements } from './sql-statements';

const PATH = "'/clickhouse/tables/{shard}/{database}/{table}'";
const replicated = (engine: string, args = '') => `Replicated${engine}(${PATH}, '{replica}'${args ? `, ${args}` : ''})`;

const sources = await readMigrationDir(fileURLToPath(new URL('../../../../migrations/', import.meta.url)));
const statements = sources.flatMap(({ file, sql }) => splitStatements(sql).map((statement) => ({ file, statement })));

/** Undoes exactly what forCluster may do, so anything else it changed shows as a difference. */
function undo(statement: string, cluster: string): string {
  return statement
    .replace(` ON CLUSTER ${cluster}`, '')
    .replace(/Replicated(\w*MergeTree)\('\/clickhouse\/tables\/\{shard\}\/\{database\}\/\{table\}', '\{replica\}'(?:, )?/, '$1(');
}

describe('forCluster over the bundled migrations', () => {
  it('has migrations to check', () => {
    expect(sources.length).toBeGreaterThanOrEqual(9);
    expect(statements.length).toBeGreaterThanOrEqual(14);
  });

  it.each(statements)('$file: puts ON CLUSTER after the name and changes nothing else but the engine', ({ statement }) => {
    const clustered = forCluster(statement, 'prod');
    expect(clustered).not.toBe(statement);
    expect(clustered).toMatch(/^CREATE (TABLE|MATERIALIZED VIEW) IF NOT EXISTS \w+ ON CLUSTER prod\s/);
    expect(clustered.match(/ON CLUSTER/g)).toHaveLength(1);
    expect(undo(clustered, 'prod')).toBe(statement);
  });

  it.each(statements.filter(({ statement }) => /ENGINE\s*=/.test(statement)))('$file: replicates every MergeTree engine', ({ statement }) => {
    const clustered = forCluster(statement, 'prod');
    expect(clustered).not.toMatch(/ENGINE\s*=\s*(?!Replicated)\w*MergeTree/);
    const [, engine, args] = /ENGINE\s*=\s*(\w*MergeTree)\(([^)]*)\)/.exec(statement)!;
    expect(clustered).toContain(`ENGINE = ${replicated(engine, args)}`);
  });

  it('gives each table its Replicated engine with the arguments after path and replica', () => {
    const engines = Object.fromEntries(
      statements
        .map(({ statement }) => forCluster(statement, 'prod'))
        .filter((s) => s.startsWith('CREATE TABLE'))
        .map((s) => [/CREATE TABLE IF NOT EXISTS (\w+)/.exec(s)![1], /ENGINE = (.+?\))\n/.exec(s)![1]]),
    );
    expect(engines).toEqual({
      otel_traces: replicated('MergeTree'),
      otel_traces_trace_id_ts: replicated('MergeTree'),
      otel_traces_correlation_ts: replicated('AggregatingMergeTree'),
      process_transactions_v1: replicated('AggregatingMergeTree'),
      partner_calls_1m_v1: replicated('AggregatingMergeTree'),
      transaction_facts_v1: replicated('ReplacingMergeTree', 'Version'),
      sla_steps_v1: replicated('ReplacingMergeTree', 'Version'),
      sla_step_days_v1: replicated('ReplacingMergeTree', 'Version'),
      exception_spans_v1: replicated('MergeTree'),
    });
  });

  it('puts ON CLUSTER between a materialized view and its TO table, and leaves its query alone', () => {
    const views = statements.map(({ statement }) => statement).filter((s) => s.startsWith('CREATE MATERIALIZED VIEW'));
    expect(views).toHaveLength(5);
    for (const view of views) {
      const clustered = forCluster(view, 'prod');
      expect(clustered).toMatch(/^CREATE MATERIALIZED VIEW IF NOT EXISTS (\w+)_mv ON CLUSTER prod\nTO \1\nAS SELECT/);
      expect(clustered.slice(clustered.indexOf('AS SELECT'))).toBe(view.slice(view.indexOf('AS SELECT')));
    }
  });
});

describe('forCluster', () => {
  it('makes the ledger a replicated table on the cluster', () => {
    expect(forCluster(LEDGER_DDL, 'prod')).toBe(`CREATE TABLE IF NOT EXISTS schema_migrations ON CLUSTER prod (
  version UInt32,
  file String,
  checksum String,
  applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ${replicated('MergeTree')} ORDER BY version`);
  });

  it.each([
    ['ALTER TABLE orders ADD COLUMN IF NOT EXISTS status String', 'ALTER TABLE orders ON CLUSTER c ADD COLUMN IF NOT EXISTS status String'],
    ['ALTER TABLE ops.orders MODIFY TTL toDateTime(at) + toIntervalDay(30)', 'ALTER TABLE ops.orders ON CLUSTER c MODIFY TTL toDateTime(at) + toIntervalDay(30)'],
    ['ALTER TABLE orders DELETE WHERE id = \'x\'', "ALTER TABLE orders ON CLUSTER c DELETE WHERE id = 'x'"],
    ['DROP TABLE IF EXISTS orders SYNC', 'DROP TABLE IF EXISTS orders ON CLUSTER c SYNC'],
    ['DROP VIEW orders_mv', 'DROP VIEW orders_mv ON CLUSTER c'],
    ['DROP DICTIONARY IF EXISTS ops.skus', 'DROP DICTIONARY IF EXISTS ops.skus ON CLUSTER c'],
    ['TRUNCATE TABLE IF EXISTS orders', 'TRUNCATE TABLE IF EXISTS orders ON CLUSTER c'],
    ['OPTIMIZE TABLE orders FINAL', 'OPTIMIZE TABLE orders ON CLUSTER c FINAL'],
    ["DELETE FROM orders WHERE id = 'x'", "DELETE FROM orders ON CLUSTER c WHERE id = 'x'"],
    ['RENAME TABLE a TO b, c TO d', 'RENAME TABLE a TO b, c TO d ON CLUSTER c'],
    ['EXCHANGE TABLES a AND b', 'EXCHANGE TABLES a AND b ON CLUSTER c'],
    ['CREATE VIEW IF NOT EXISTS v AS SELECT 1', 'CREATE VIEW IF NOT EXISTS v ON CLUSTER c AS SELECT 1'],
    ['CREATE DATABASE IF NOT EXISTS `odd db`', 'CREATE DATABASE IF NOT EXISTS `odd db` ON CLUSTER c'],
    ['CREATE TABLE "my table" (x UInt8) ENGINE = MergeTree ORDER BY x', `CREATE TABLE "my table" ON CLUSTER c (x UInt8) ENGINE = ${replicated('MergeTree')} ORDER BY x`],
    ['CREATE TABLE t2 AS t1', 'CREATE TABLE t2 ON CLUSTER c AS t1'],
    [
      'CREATE MATERIALIZED VIEW IF NOT EXISTS hits_mv ENGINE = SummingMergeTree ORDER BY k AS SELECT k, count() AS c FROM hits GROUP BY k',
      `CREATE MATERIALIZED VIEW IF NOT EXISTS hits_mv ON CLUSTER c ENGINE = ${replicated('SummingMergeTree')} ORDER BY k AS SELECT k, count() AS c FROM hits GROUP BY k`,
    ],
  ])('%s', (statement, expected) => {
    expect(forCluster(statement, 'c')).toBe(expected);
  });

  it.each([
    ['SummingMergeTree((calls, errors))', replicated('SummingMergeTree', '(calls, errors)')],
    ['CollapsingMergeTree(Sign)', replicated('CollapsingMergeTree', 'Sign')],
    ['VersionedCollapsingMergeTree(Sign, Version)', replicated('VersionedCollapsingMergeTree', 'Sign, Version')],
    ['ReplacingMergeTree(_version, _is_deleted)', replicated('ReplacingMergeTree', '_version, _is_deleted')],
    ["GraphiteMergeTree('graphite_rollup')", replicated('GraphiteMergeTree', "'graphite_rollup'")],
    ['AggregatingMergeTree', replicated('AggregatingMergeTree')],
  ])('replicates %s', (engine, expected) => {
    expect(forCluster(`CREATE TABLE t (x UInt8) ENGINE = ${engine} ORDER BY x`, 'c')).toBe(`CREATE TABLE t ON CLUSTER c (x UInt8) ENGINE = ${expected} ORDER BY x`);
  });

  it('leaves replicated and non-MergeTree engines as they are', () => {
    const already = `CREATE TABLE t (x UInt8) ENGINE = ${replicated('MergeTree')} ORDER BY x`;
    expect(forCluster(already, 'c')).toBe(already.replace('CREATE TABLE t', 'CREATE TABLE t ON CLUSTER c'));
    expect(forCluster('CREATE TABLE t (x UInt8) ENGINE = Null', 'c')).toBe('CREATE TABLE t ON CLUSTER c (x UInt8) ENGINE = Null');
  });

  it('never rewrites strings, quoted names, comments or a view query', () => {
    expect(forCluster("CREATE TABLE t (note String DEFAULT 'ENGINE = MergeTree') ENGINE = MergeTree ORDER BY note -- ENGINE = MergeTree", 'c')).toBe(
      `CREATE TABLE t ON CLUSTER c (note String DEFAULT 'ENGINE = MergeTree') ENGINE = ${replicated('MergeTree')} ORDER BY note -- ENGINE = MergeTree`,
    );
    const view = "CREATE MATERIALIZED VIEW v TO t AS SELECT name AS ENGINE FROM system.tables WHERE engine = 'MergeTree'";
    expect(forCluster(view, 'c')).toBe(view.replace('VIEW v', 'VIEW v ON CLUSTER c'));
  });

  it.each(['INSERT INTO t (x) VALUES (1)', 'SELECT count() FROM otel_traces', 'WITH 1 AS x SELECT x', 'INSERT INTO t SELECT * FROM s'])(
    'leaves %s untouched',
    (statement) => {
      expect(forCluster(statement, 'c')).toBe(statement);
    },
  );

  it.each(['prod-1', '1prod', 'prod; DROP TABLE t', "'{cluster}'", '', 'prod cluster'])('refuses the cluster name %j', (name) => {
    expect(isClusterName(name)).toBe(false);
    expect(() => forCluster('CREATE DATABASE d', name)).toThrow(/must be a plain identifier/);
  });

  it.each([
    ['SET allow_experimental_json_type = 1', /cannot run on a cluster/],
    ['SYSTEM SYNC REPLICA t', /cannot run on a cluster/],
    ['CREATE TEMPORARY TABLE t (x UInt8)', /cannot run on a cluster/],
    ['CREATE FUNCTION f AS (x) -> x', /cannot run on a cluster/],
    ['CREATE TABLE t ON CLUSTER other (x UInt8) ENGINE = MergeTree ORDER BY x', /names a cluster itself/],
    ['ALTER TABLE t ON CLUSTER other DROP COLUMN x', /names a cluster itself/],
    ['CREATE TABLE t (x UInt8) ORDER BY x', /must state its ENGINE/],
    ['CREATE TABLE t AS SELECT 1 AS x', /must state its ENGINE/],
    ['DROP TABLE a, b', /drop one object per statement/],
    ['CREATE TABLE (x UInt8) ENGINE = MergeTree ORDER BY x', /cannot find the object's name/],
  ])('refuses %s', (statement, reason) => {
    expect(() => forCluster(statement, 'c')).toThrow(ClusterDdlError);
    expect(() => forCluster(statement, 'c')).toThrow(reason);
  });
});
