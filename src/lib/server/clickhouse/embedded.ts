import { mkdirSync } from 'node:fs';
import type { createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

/**
 * A `@clickhouse/client` connection over chDB at `path`. chDB types itself against its own copy
 * of `@clickhouse/client-common`, identical at runtime but nominally different for TypeScript,
 * hence the one cast.
 */
export async function createEmbeddedConnection(path: string): Promise<ClientConnection> {
  mkdirSync(path, { recursive: true });
  return createChdbConnection({ path }) as unknown as ClientConnection;
}
