import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

/**
 * The console stores' own tests, run a second time with every console database on the
 * PostgreSQL at 127.0.0.1:5432 (`DATABASE_URL` mode) instead of SQLite files.
 */
const consoleStateTests = [
  'src/lib/server/auth/users.test.ts',
  'src/lib/audit/audit-log.test.ts',
  'src/lib/alerts/rules/rule-store.test.ts',
  'src/lib/alerts/email/delivery.test.ts',
  'src/lib/alerts/email/outbox.test.ts',
  'src/lib/alerts/email/templates.test.ts',
  'test/integration/exceptions/remediation.test.ts',
  'test/integration/exceptions/exception-intake.test.ts',
  'test/integration/alerts/mail-delivery.test.ts',
  'test/integration/alerts/alerting.test.ts',
];

export default defineConfig({
  plugins: [sveltekit()],
  test: {
    // chDB's native addon crashes the process when a worker thread that loaded it exits, so
    // tests run in child processes, never in threads.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'crossdock', include: ['src/**/*.test.ts', 'simulators/**/*.test.ts', 'test/**/*.test.ts'] } },
      { extends: true, test: { name: 'postgres', include: consoleStateTests, setupFiles: ['test/support/console-db-on-postgres.ts'] } },
    ],
  },
});
