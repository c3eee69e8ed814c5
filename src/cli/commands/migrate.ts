import { fileURLToPath } from 'node:url';
import { migrate, migrationState, openClickHouse, readMigrationDir } from '../../lib/server/clickhouse';
import { CommandError } from '../usage';
import type { Command } from './index';

const migrationsDir = fileURLToPath(new URL('../../../migrations/', import.meta.url));

export const migrateCommand: Command = {
  summary: 'Apply pending ClickHouse migrations',
  description:
    'Applies the migrations in migrations/ that are not yet recorded in schema_migrations, in order.\nRe-running is a no-op; a changed or missing applied migration is refused.\nThe console applies them at start as well. With the embedded engine, stop the console first:\nonly one process can open the data directory.',
  options: { status: { type: 'boolean', description: 'Show applied and pending migrations; change nothing' } },
  async run({ config, flags }) {
    const sources = await readMigrationDir(migrationsDir);
    let clickhouse;
    try {
      clickhouse = await openClickHouse(config.clickhouse, config.paths.dataDir);
    } catch (error) {
      throw new CommandError((error as Error).message, { cause: error });
    }
    try {
      if (flags.status) {
        const state = await migrationState(clickhouse, sources);
        console.log(`${state.applied} applied, ${state.pending.length} pending${state.pending.length ? `: ${state.pending.join(', ')}` : ''}`);
        return 0;
      }
      const report = await migrate(clickhouse, sources);
      for (const file of report.applied) console.log(`applied  ${file}`);
      console.log(`${report.applied.length} applied, ${report.unchanged} already up to date (${clickhouse.engine} ClickHouse at ${clickhouse.location})`);
      return 0;
    } catch (error) {
      throw new CommandError((error as Error).message, { cause: error });
    } finally {
      await clickhouse.close();
    }
  },
};
