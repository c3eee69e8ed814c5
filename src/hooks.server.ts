import type { ServerInit } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { loadConfig } from '$lib/config';
import { bundledMigrations } from '$lib/server/clickhouse/bundled-migrations';
import { startConsoleServices, stopConsoleServices } from '$lib/server/console-services';

// The console process's composition root: configuration is parsed here, once, and everything
// else receives it. A bad variable or a refused migration stops the server before it serves.
export const init: ServerInit = async () => {
  await startConsoleServices(loadConfig(env), bundledMigrations);
  process.once('sveltekit:shutdown', () => void stopConsoleServices());
};
