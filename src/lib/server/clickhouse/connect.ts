import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { resolve } from 'node:path';
import type { ClickHouseConfig } from '../../config';
import { forCluster } from './cluster-ddl';

/** An open ClickHouse: the official client, over the embedded engine or a server. */
export interface ClickHouse {
  readonly client: ClickHouseClient;
  readonly engine: 'embedded' | 'server';
  /** Where the data lives: a directory for the embedded engine, the server URL (no credentials) otherwise. */
  readonly location: string;
  readonly database: string;
  /**
   * The cluster the migrator's DDL runs ON CLUSTER of, with replicated engines (CLICKHOUSE_CLUSTER);
   * unset on a single server and on the embedded engine.
   */
  readonly cluster?: string;
  close(): Promise<void>;
}

/** The ClickHouse could not be opened; the message says why in operator terms. */
export class ClickHouseUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ClickHouseUnavailableError';
  }
}

// chDB prints 64-bit integers as bare JSON numbers, which lose precision in JavaScript; a
// server quotes them. Asking for quotes everywhere makes both engines return strings.
const settings = { output_format_json_quote_64bit_integers: 1 } as const;

/**
 * Opens ClickHouse as configured: a server when `url` is set, otherwise the embedded engine in
 * `<dataDir>/clickhouse`. Creates the database if it does not exist. The embedded engine binds
 * its directory to one process, so open it once per process and share the result.
 */
export async function openClickHouse(config: ClickHouseConfig, dataDir: string): Promise<ClickHouse> {
  return config.url ? openServer(config, config.url) : openEmbedded(config, resolve(dataDir, 'clickhouse'));
}

async function openServer(config: ClickHouseConfig, url: string): Promise<ClickHouse> {
  const common = { url, username: config.username, password: config.password, clickhouse_settings: settings };
  const bootstrap = createClient(common);
  // On a cluster the database must exist on every replica before ON CLUSTER tables can be made in
  // it. The name is quoted into the text rather than passed as a parameter, so what each replica
  // runs does not depend on how the server forwards parameters with a distributed DDL task.
  const createDatabase = config.cluster
    ? { query: forCluster(`CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(config.database)}`, config.cluster) }
    : { query: 'CREATE DATABASE IF NOT EXISTS {database:Identifier}', query_params: { database: config.database } };
  try {
    await bootstrap.command(createDatabase);
  } catch (error) {
    throw new ClickHouseUnavailableError(`ClickHouse at ${redact(url)} refused the connection: ${messageOf(error)}`, {
      cause: error,
    });
  } finally {
    await bootstrap.close();
  }
  const client = createClient({ ...common, database: config.database });
  return { client, engine: 'server', location: redact(url), database: config.database, cluster: config.cluster, close: () => client.close() };
}

async function openEmbedded(config: ClickHouseConfig, path: string): Promise<ClickHouse> {
  // Imported lazily: loading chDB's native addon in a worker thread that later exits crashes
  // the process, and SvelteKit's build analyses server modules in such a worker.
  const { createEmbeddedConnection } = await import('./embedded');
  let connection;
  try {
    connection = await createEmbeddedConnection(path);
  } catch (error) {
    throw new ClickHouseUnavailableError(
      `cannot open the embedded ClickHouse at ${path}: it is in use by another process (is the console already running?) or not writable`,
      { cause: error },
    );
  }
  const client = createClient({ connection, clickhouse_settings: settings });
  // chDB ignores the client's `database` option; the connection's current database is what counts.
  const query_params = { database: config.database };
  await client.command({ query: 'CREATE DATABASE IF NOT EXISTS {database:Identifier}', query_params });
  await client.command({ query: 'USE {database:Identifier}', query_params });
  return { client, engine: 'embedded', location: path, database: config.database, close: () => client.close() };
}

function quoteIdentifier(name: string): string {
  return `\`${name.replace(/[\\`]/g, (c) => `\\${c}`)}\``;
}

function redact(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString().replace(/\/$/, '');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
