export { openClickHouse, ClickHouseUnavailableError } from './connect';
export type { ClickHouse } from './connect';
export { migrate, migrationState, readMigrationDir, prepareMigrations, MigrationError } from './migrations';
export type { Migration, MigrationReport, MigrationSource, MigrationState } from './migrations';
export { applyRetention } from './retention';
