import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouse } from '../../src/lib/server/clickhouse';
import { forCluster } from '../../src/lib/server/clickhouse/cluster-ddl';
import { LEDGER_DDL, readMigrationDir } from '../../src/lib/server/clickhouse/migrations';
import { splitStatements } from '../../src/lib/server/clickhouse/sql-statements';
import { freshClickHouse } from '../support/clickhouse';

// No Keeper or cluster can run here, so the cluster form of every statement the migrator sends is
// checked by ClickHouse's own parser (formatQuery in the embedded engine): it must parse, ON
// CLUSTER and the engine must sit where the parser puts them, and apart from those two the
// statement must mean exactly what the migration file says.

let ch: ClickHouse;
beforeAll(async () => {
  ch = await freshClickHouse('cluster_ddl');
});
afterAll(async () => {
  await ch.close();
});

/** ClickHouse's canonical text of `sql`, or the parser's error. */
async function formatted(sql: string): Promise<string> {
  const result = await ch.client.query({ query: 'SELECT formatQuery({sql:String}) AS text', query_params: { sql }, format: 'JSONEachRow' });
  const [row] = await result.json<{ text: string }>();
  return row.text;
}

const PATH = "'/clickhouse/tables/{shard}/{database}/{table}'";
const sources = await readMigrationDir(fileURLToPath(new URL('../../migrations/', import.meta.url)));
const migrationStatements = sources.flatMap(({ file, sql }) => splitStatements(sql).map((statement) => ({ file, statement })));
const others = [
  { file: 'schema_migrations (ledger)', statement: LEDGER_DDL },
  { file: 'CREATE DATABASE (connect.ts)', statement: 'CREATE DATABASE IF NOT EXISTS `crossdock`' },
  { file: 'ALTER', statement: "ALTER TABLE otel_traces ADD COLUMN IF NOT EXISTS Tenant LowCardinality(String) DEFAULT ''" },
  { file: 'ALTER', statement: 'ALTER TABLE otel_traces MODIFY TTL toDateTime(Timestamp) + toIntervalDay(30)' },
  { file: 'ALTER', statement: 'ALTER TABLE crossdock.sla_steps_v1 DELETE WHERE Version < 5' },
  { file: 'DROP', statement: 'DROP TABLE IF EXISTS partner_calls_1m_v1 SYNC' },
  { file: 'DROP', statement: 'DROP VIEW IF EXISTS partner_calls_1m_v1_mv' },
  { file: 'TRUNCATE', statement: 'TRUNCATE TABLE IF EXISTS exception_spans_v1' },
  { file: 'OPTIMIZE', statement: 'OPTIMIZE TABLE transaction_facts_v1 FINAL' },
  { file: 'DELETE', statement: "DELETE FROM sla_steps_v1 WHERE Process = ''" },
  { file: 'RENAME', statement: 'RENAME TABLE sla_steps_v1 TO sla_steps_v1_old' },
  { file: 'EXCHANGE', statement: 'EXCHANGE TABLES sla_steps_v1 AND sla_steps_v2' },
  { file: 'SummingMergeTree', statement: 'CREATE TABLE IF NOT EXISTS kv_rollup (Key String, Hits UInt64) ENGINE = SummingMergeTree((Hits)) ORDER BY Key' },
  { file: 'view with its own engine', statement: 'CREATE MATERIALIZED VIEW IF NOT EXISTS hits_mv ENGINE = AggregatingMergeTree ORDER BY k AS SELECT k, count() AS c FROM hits GROUP BY k' },
];

describe('the cluster form of every migrator statement parses in ClickHouse', () => {
  it('has formatQuery in this engine, and it refuses a misplaced ON CLUSTER', async () => {
    expect(await formatted('select 1')).toBe('SELECT 1');
    await expect(formatted('CREATE MATERIALIZED VIEW v TO t ON CLUSTER prod AS SELECT 1')).rejects.toThrow(/Syntax error/);
    await expect(formatted('CREATE TABLE t (x UInt8) ON CLUSTER prod ENGINE = MergeTree ORDER BY x')).rejects.toThrow(/Syntax error/);
  });

  it.each([...migrationStatements, ...others])('$file: parses, and differs from the original only by ON CLUSTER and the engine', async ({ statement }) => {
    for (const cluster of ['prod', 'default']) {
      const clustered = await formatted(forCluster(statement, cluster));
      expect(clustered.match(new RegExp(` ON CLUSTER ${cluster}\\b`, 'g'))).toHaveLength(1);
      const undone = clustered
        .replace(` ON CLUSTER ${cluster}`, '')
        .replace(/Replicated(\w*MergeTree)\('\/clickhouse\/tables\/\{shard\}\/\{database\}\/\{table\}', '\{replica\}'(?:, )?/, '$1(')
        .replace(/(\w*MergeTree)\(\)/, '$1');
      expect(undone).toBe(await formatted(statement));
    }
  });

  it('places ON CLUSTER and the replicated engine where ClickHouse reads them', async () => {
    const facts = migrationStatements.find(({ statement }) => statement.includes('TABLE IF NOT EXISTS transaction_facts_v1'))!.statement;
    const text = await formatted(forCluster(facts, 'prod'));
    expect(text).toMatch(/^CREATE TABLE IF NOT EXISTS transaction_facts_v1 ON CLUSTER prod\n\(/);
    expect(text).toContain(`ENGINE = ReplicatedReplacingMergeTree(${PATH}, '{replica}', Version)`);

    const view = migrationStatements.find(({ statement }) => statement.includes('VIEW IF NOT EXISTS exception_spans_v1_mv'))!.statement;
    expect(await formatted(forCluster(view, 'prod'))).toMatch(/^CREATE MATERIALIZED VIEW IF NOT EXISTS exception_spans_v1_mv ON CLUSTER prod TO exception_spans_v1\n/);

    expect(await formatted(forCluster(LEDGER_DDL, 'prod'))).toContain(`ENGINE = ReplicatedMergeTree(${PATH}, '{replica}')`);
    expect(await formatted(forCluster('ALTER TABLE t DELETE WHERE x = 1', 'prod'))).toBe('ALTER TABLE t ON CLUSTER prod\n    (DELETE WHERE x = 1)');
  });
});
