import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse } from './connect';

// What openClickHouse sends a server when a cluster is configured, seen by a stand-in server
// that records each statement and answers like ClickHouse does to DDL (200, empty body).

let server: Server;
let url: string;
const statements: string[] = [];
beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      statements.push(body || new URL(request.url ?? '/', 'http://x').searchParams.get('query') || '');
      response.writeHead(200, { 'content-type': 'text/plain' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('openClickHouse with a cluster', () => {
  it('creates the database on every replica and hands the cluster to the migrator', async () => {
    statements.length = 0;
    const ch = await openClickHouse({ url, database: 'crossdock', username: 'default', password: '', cluster: 'prod' }, '/unused');
    await ch.close();
    expect(statements).toEqual(['CREATE DATABASE IF NOT EXISTS `crossdock` ON CLUSTER prod']);
    expect(ch).toMatchObject({ engine: 'server', database: 'crossdock', cluster: 'prod' });
  });

  it('keeps the parameterised statement and no cluster for a single server', async () => {
    statements.length = 0;
    const ch = await openClickHouse({ url, database: 'crossdock', username: 'default', password: '' }, '/unused');
    await ch.close();
    expect(statements).toEqual(['CREATE DATABASE IF NOT EXISTS {database:Identifier}']);
    expect(ch.cluster).toBeUndefined();
  });
});
