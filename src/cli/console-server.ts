import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Config } from '../lib/config';
import { CommandError } from './usage';

const handlerPath = fileURLToPath(new URL('../../build/handler.js', import.meta.url));

/** A console web server that is listening. */
export interface RunningConsole {
  url: string;
  /** Stops accepting requests and releases ClickHouse. */
  stop(): Promise<void>;
}

/**
 * Serves the built SvelteKit console on the configured host and port. Importing the build runs
 * its `init` hook, which opens ClickHouse and applies migrations before the first request.
 */
export async function serveConsole(config: Config): Promise<RunningConsole> {
  if (!existsSync(handlerPath))
    throw new CommandError('the console is not built yet: run `npm run build` (or `npm start`, which builds first)');
  // adapter-node takes the public origin from ORIGIN and otherwise assumes https, which would
  // make SvelteKit refuse every form posted to a plain-HTTP loopback console as cross-site.
  // Behind a TLS proxy, set ORIGIN to the public URL.
  process.env.ORIGIN ??= `http://${config.console.host}:${config.console.port}`;
  let handler: Parameters<typeof createServer>[1];
  try {
    ({ handler } = await import(pathToFileURL(handlerPath).href));
  } catch (error) {
    throw new CommandError(`the console could not start: ${(error as Error).message}`, { cause: error });
  }
  const server = createServer(handler);
  await listen(server, config.console.port, config.console.host);
  return {
    url: `http://${config.console.host}:${config.console.port}`,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      // adapter-node's signal for the app to release what it holds (see hooks.server.ts).
      process.emit('sveltekit:shutdown' as never, 'SIGTERM' as never);
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new CommandError(
          error.code === 'EADDRINUSE'
            ? `${host}:${port} is already in use; set CROSSDOCK_CONSOLE_PORT to another port`
            : `cannot listen on ${host}:${port}: ${error.message}`,
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
}
