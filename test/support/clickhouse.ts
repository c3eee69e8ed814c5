import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openClickHouse, type ClickHouse } from '../../src/lib/server/clickhouse';

let dataDir: string | undefined;
let counter = 0;

/**
 * Opens the real embedded ClickHouse in a fresh database. chDB allows one data directory per
 * process (vitest runs each test file in its own process), so every call in a file shares one
 * temporary directory and isolates itself by database instead.
 */
export async function freshClickHouse(prefix = 'test'): Promise<ClickHouse> {
  dataDir ??= mkdtempSync(join(tmpdir(), 'crossdock-ch-'));
  const database = `${prefix}_${process.pid}_${++counter}`;
  return openClickHouse({ url: process.env.CLICKHOUSE_TEST_URL, database, username: 'default', password: '' }, dataDir);
}
