import type { MigrationSource } from './migrations';

// Vite inlines the migration files into the console bundle, so the built server needs no path
// to the repository's migrations/ folder. The CLI and tests read the folder from disk instead.
const files = import.meta.glob('/migrations/*.sql', { query: '?raw', import: 'default', eager: true });

/** The migrations shipped with this build of the console. */
export const bundledMigrations: MigrationSource[] = Object.entries(files).map(([path, sql]) => ({
  file: path.slice(path.lastIndexOf('/') + 1),
  sql: sql as string,
}));
