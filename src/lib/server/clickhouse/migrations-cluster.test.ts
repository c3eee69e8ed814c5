import type { ClickHouseClient } from '@clickhouse/client';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { forCluster } from './cluster-ddl';
import type { ClickHouse } from './connect';
import { LEDGER_DDL, MigrationError, migrate, migrationState, prepareMigrations, readMigrationDir, type MigrationSource } from './migrations';
import { splitStatements } from './sql-statements';

// The migrator on a cluster, against a recording client: no Keeper or cluster runs here, so this
// checks what the migrator sends (the text itself is parsed by ClickHouse in
// test/integration/cluster-ddl-parse.test.ts).

interface LedgerRow {
  version: number;
  file: string;
  checksum: string;
}

function recordingClickHouse(options: { cluster?: string; ledger?: LedgerRow[]; ledgerExists?: boolean } = {}) {
  const commands: string[] = [];
  const recorded: LedgerRow[] = [];
  const client = {
    async command({ query }: { query: string }) {
      commands.push(query);
    },
    async query({ query }: { query: string }) {
      const rows = query.startsWith('EXISTS TABLE') ? [{ result: options.ledgerExists ? 1 : 0 }] : (options.ledger ?? []);
      return { json: async () => rows };
    },
    async insert({ values }: { values: LedgerRow[] }) {
      recorded.push(...values);
    },
  };
  const ch: ClickHouse = {
    client: client as unknown as ClickHouseClient,
    engine: 'server',
    location: 'http://clickhouse:8123',
    database: 'crossdock',
    cluster: options.cluster,
    close: async () => {},
  };
  return { ch, commands, recorded };
}

const sources = await readMigrationDir(fileURLToPath(new URL('../../../../migrations/', import.meta.url)));
const statements = sources.flatMap(({ sql }) => splitStatements(sql));

describe('migrate on a cluster', () => {
  it('runs the ledger and every statement in cluster form, in order', async () => {
    const { ch, commands } = recordingClickHouse({ cluster: 'prod' });
    const report = await migrate(ch, sources);
    expect(report).toEqual({ applied: sources.map((s) => s.file), unchanged: 0 });
    expect(commands).toEqual([forCluster(LEDGER_DDL, 'prod'), ...statements.map((s) => forCluster(s, 'prod'))]);
    expect(commands[0]).toContain('ON CLUSTER prod');
    expect(commands[0]).toContain("ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')");
    expect(commands.every((c) => c.includes(' ON CLUSTER prod'))).toBe(true);
  });

  it('records the checksums of the files, so switching to a cluster keeps the history valid', async () => {
    const single = recordingClickHouse();
    await migrate(single.ch, sources);
    expect(single.commands).toEqual([LEDGER_DDL, ...statements]);

    const cluster = recordingClickHouse({ cluster: 'prod' });
    await migrate(cluster.ch, sources);
    expect(cluster.recorded).toEqual(single.recorded);
    expect(cluster.recorded.map((r) => r.checksum)).toEqual(prepareMigrations(sources).map((m) => m.checksum));

    // A database migrated on one server, then opened with CLICKHOUSE_CLUSTER set: nothing to redo.
    const switched = recordingClickHouse({ cluster: 'prod', ledger: single.recorded });
    expect(await migrate(switched.ch, sources)).toEqual({ applied: [], unchanged: sources.length });
    expect(switched.commands).toEqual([forCluster(LEDGER_DDL, 'prod')]);
  });

  it('refuses a statement the cluster form cannot express before running any pending migration', async () => {
    const { ch, commands, recorded } = recordingClickHouse({ cluster: 'prod' });
    const fine: MigrationSource = { file: '0001_create_orders.sql', sql: 'CREATE TABLE IF NOT EXISTS orders (id String) ENGINE = MergeTree ORDER BY id;' };
    const unreplicable: MigrationSource = { file: '0002_create_lines.sql', sql: 'SELECT 1;\nCREATE TABLE IF NOT EXISTS lines (id String) ORDER BY id;' };
    const error = await migrate(ch, [fine, unreplicable]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(
      /migration 0002_create_lines\.sql cannot run on cluster prod \(statement 2 of 2\): a table on a cluster must state its ENGINE/,
    );
    // Only the ledger was created: 0001, though valid, did not run ahead of the refusal.
    expect(commands).toEqual([forCluster(LEDGER_DDL, 'prod')]);
    expect(recorded).toEqual([]);
  });
});

describe('migrationState on a cluster', () => {
  it('sends no DDL when the ledger exists (health checks ask every few seconds)', async () => {
    const { ch, commands } = recordingClickHouse({ cluster: 'prod', ledgerExists: true });
    expect(await migrationState(ch, sources)).toEqual({ applied: 0, pending: sources.map((s) => s.file) });
    expect(commands).toEqual([]);
  });

  it('creates a missing ledger on every replica', async () => {
    const { ch, commands } = recordingClickHouse({ cluster: 'prod', ledgerExists: false });
    await migrationState(ch, sources);
    expect(commands).toEqual([forCluster(LEDGER_DDL, 'prod')]);
  });
});
