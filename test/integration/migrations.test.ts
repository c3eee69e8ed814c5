import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import {
  MigrationError,
  migrate,
  migrationState,
  readMigrationDir,
  type ClickHouse,
  type MigrationSource,
} from '../../src/lib/server/clickhouse';
import { freshClickHouse } from '../support/clickhouse';

const open: ClickHouse[] = [];
async function clickhouse() {
  const ch = await freshClickHouse('migrations');
  open.push(ch);
  return ch;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((ch) => ch.close()));
});

async function tables(ch: ClickHouse): Promise<string[]> {
  const result = await ch.client.query({
    query: 'SELECT name FROM system.tables WHERE database = {db:String} ORDER BY name',
    query_params: { db: ch.database },
    format: 'JSONEachRow',
  });
  return (await result.json<{ name: string }>()).map((r) => r.name);
}

const first: MigrationSource = {
  file: '0001_create_orders.sql',
  sql: `-- orders; one row per order
CREATE TABLE IF NOT EXISTS orders (id String, note String DEFAULT 'a;b') ENGINE = MergeTree ORDER BY id;
CREATE TABLE IF NOT EXISTS order_lines (id String, sku String) ENGINE = MergeTree ORDER BY id;`,
};
const second: MigrationSource = {
  file: '0002_add_order_status.sql',
  sql: `ALTER TABLE orders ADD COLUMN IF NOT EXISTS status LowCardinality(String) DEFAULT 'open';`,
};

describe('migrate (embedded ClickHouse)', () => {
  it('applies migrations in version order and records their checksums', async () => {
    const ch = await clickhouse();
    // Given out of order on purpose: the version decides, not the listing.
    const report = await migrate(ch, [second, first]);
    expect(report).toEqual({ applied: ['0001_create_orders.sql', '0002_add_order_status.sql'], unchanged: 0 });
    expect(await tables(ch)).toEqual(['order_lines', 'orders', 'schema_migrations']);

    const ledger = await ch.client.query({ query: 'SELECT version, file, checksum FROM schema_migrations ORDER BY version', format: 'JSONEachRow' });
    const rows = await ledger.json<{ version: number; file: string; checksum: string }>();
    expect(rows.map((r) => [r.version, r.file])).toEqual([[1, '0001_create_orders.sql'], [2, '0002_add_order_status.sql']]);
    expect(rows[0].checksum).toMatch(/^[0-9a-f]{64}$/);

    const columns = await ch.client.query({ query: "SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'orders' ORDER BY position", format: 'JSONEachRow' });
    expect((await columns.json<{ name: string }>()).map((c) => c.name)).toEqual(['id', 'note', 'status']);
  });

  it('is a no-op when re-run, and applies only what is new', async () => {
    const ch = await clickhouse();
    await migrate(ch, [first]);
    expect(await migrate(ch, [first])).toEqual({ applied: [], unchanged: 1 });
    expect(await migrationState(ch, [first, second])).toEqual({ applied: 1, pending: ['0002_add_order_status.sql'] });
    expect(await migrate(ch, [first, second])).toEqual({ applied: ['0002_add_order_status.sql'], unchanged: 1 });
    const count = await ch.client.query({ query: 'SELECT count() AS n FROM schema_migrations', format: 'JSONEachRow' });
    expect(await count.json()).toEqual([{ n: '2' }]);
  });

  it('refuses to run when an applied migration was changed', async () => {
    const ch = await clickhouse();
    await migrate(ch, [first]);
    const tampered = { ...first, sql: first.sql.replace('ORDER BY id;', 'ORDER BY (id);') };
    await expect(migrate(ch, [tampered, second])).rejects.toThrow(MigrationError);
    await expect(migrate(ch, [tampered, second])).rejects.toThrow(
      /migration 0001_create_orders\.sql was changed after it was applied \(recorded checksum [0-9a-f]{12}, file now [0-9a-f]{12}\); revert the file/,
    );
    // Nothing after the tampered file ran.
    expect(await migrationState(ch, [first, second])).toEqual({ applied: 1, pending: ['0002_add_order_status.sql'] });
  });

  it('does not mistake CRLF line endings for tampering', async () => {
    const ch = await clickhouse();
    await migrate(ch, [first]);
    expect(await migrate(ch, [{ ...first, sql: first.sql.replace(/\n/g, '\r\n') }])).toEqual({ applied: [], unchanged: 1 });
  });

  it('refuses to run when an applied migration disappeared', async () => {
    const ch = await clickhouse();
    await migrate(ch, [first, second]);
    await expect(migrate(ch, [first])).rejects.toThrow('migration 0002_add_order_status.sql is recorded as applied but its file is missing');
  });

  it('reports the failing statement and records nothing for a failed migration', async () => {
    const ch = await clickhouse();
    const broken = { file: '0002_broken.sql', sql: 'CREATE TABLE IF NOT EXISTS ok_table (x UInt8) ENGINE = Memory;\nCREATE TABLE nope (x NoSuchType) ENGINE = Memory;' };
    await expect(migrate(ch, [first, broken])).rejects.toThrow(/migration 0002_broken\.sql failed at statement 2 of 2: .*NoSuchType/s);
    expect(await migrationState(ch, [first, broken])).toEqual({ applied: 1, pending: ['0002_broken.sql'] });
    // Fixed and re-run: the IF NOT EXISTS statement that already ran is harmless.
    const fixed = { ...broken, sql: broken.sql.replace('NoSuchType', 'UInt8') };
    expect(await migrate(ch, [first, fixed])).toEqual({ applied: ['0002_broken.sql'], unchanged: 1 });
  });

  it('refuses badly named and duplicate-numbered files before touching the database', async () => {
    const ch = await clickhouse();
    await expect(migrate(ch, [{ file: '1_orders.sql', sql: 'SELECT 1' }])).rejects.toThrow(/must look like NNNN_description\.sql/);
    await expect(migrate(ch, [first, { ...second, file: '0001_other.sql' }])).rejects.toThrow(/share version 1/);
    expect(await tables(ch)).toEqual([]);
  });

  it("applies the repository's own migrations, twice without effect", async () => {
    const ch = await clickhouse();
    const sources = await readMigrationDir(fileURLToPath(new URL('../../migrations/', import.meta.url)));
    expect(sources.length).toBeGreaterThan(0);
    const report = await migrate(ch, sources);
    expect(report.applied).toEqual(sources.map((s) => s.file));
    expect(await migrate(ch, sources)).toEqual({ applied: [], unchanged: sources.length });
    expect(await tables(ch)).toContain('otel_traces');
  });
});
