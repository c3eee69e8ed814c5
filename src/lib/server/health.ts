import type { LeaseStatus } from '../lease';
import { migrationState } from './clickhouse';
import type { ConsoleServices } from './console-services';

type Status = 'ok' | 'failing';

export interface Health {
  status: Status;
  startedAt: string;
  clickhouse: { status: Status; engine: string; location: string; database: string; version?: string; latencyMs?: number; error?: string };
  migrations: { status: Status; applied?: number; pending?: string[]; error?: string };
  collector: { status: Status; url: string } & ReturnType<ConsoleServices['collector']['stats']>;
  /** The refresher behind the process pages; `lastPassAt` is unset until its first full pass. */
  facts: { status: Status } & ReturnType<ConsoleServices['facts']['status']>;
  /** The console's own database, and whether this replica runs the background passes. */
  state: { status: Status; engine: 'sqlite' | 'postgres'; latencyMs?: number; error?: string; duties: LeaseStatus };
}

/** Asks ClickHouse for its version and the migration ledger, and reads the collector's counters; never throws. */
export async function checkHealth(services: ConsoleServices): Promise<Health> {
  const { clickhouse } = services;
  const started = performance.now();
  const ch: Health['clickhouse'] = {
    status: 'ok',
    engine: clickhouse.engine,
    location: clickhouse.location,
    database: clickhouse.database,
  };
  try {
    const result = await clickhouse.client.query({ query: 'SELECT version() AS version', format: 'JSONEachRow' });
    const [row] = await result.json<{ version: string }>();
    ch.version = row.version;
    ch.latencyMs = Math.round((performance.now() - started) * 10) / 10;
  } catch (error) {
    ch.status = 'failing';
    ch.error = (error as Error).message;
  }

  let migrations: Health['migrations'];
  try {
    const state = await migrationState(clickhouse, services.migrations.sources);
    migrations = { status: state.pending.length === 0 ? 'ok' : 'failing', ...state };
  } catch (error) {
    migrations = { status: 'failing', error: (error as Error).message };
  }

  const collectorStats = services.collector.stats();
  const collector = { status: (collectorStats.failing ? 'failing' : 'ok') as Status, url: services.collector.url, ...collectorStats };

  const factsStatus = services.facts.status();
  const facts = { status: (factsStatus.failing ? 'failing' : 'ok') as Status, ...factsStatus };

  const state: Health['state'] = { status: 'ok', engine: services.db.dialect, duties: services.duties.status() };
  const asked = performance.now();
  try {
    services.db.prepare('SELECT 1 AS one').get();
    state.latencyMs = Math.round((performance.now() - asked) * 10) / 10;
  } catch (error) {
    state.status = 'failing';
    state.error = (error as Error).message;
  }

  const status: Status = [ch.status, migrations.status, collector.status, facts.status, state.status].every((s) => s === 'ok') ? 'ok' : 'failing';
  return { status, startedAt: services.startedAt.toISOString(), clickhouse: ch, migrations, collector, facts, state };
}
