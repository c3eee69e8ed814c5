import { describe, expect, it } from 'vitest';
import { loadConfig } from './load';
import { problemsOf } from '../../../test/support/config-problems';

// CLICKHOUSE_CLUSTER (the rest of the ClickHouse area is in load.test.ts).


const server = { CLICKHOUSE_URL: 'http://clickhouse-1.internal:8123' };

describe('CLICKHOUSE_CLUSTER', () => {
  it('is unset by default and when blank: migrations run for one server', () => {
    expect(loadConfig({}).clickhouse.cluster).toBeUndefined();
    expect(loadConfig({ ...server, CLICKHOUSE_CLUSTER: '  ' }).clickhouse).not.toHaveProperty('cluster');
  });

  it('names the cluster the migrations run on', () => {
    expect(loadConfig({ ...server, CLICKHOUSE_CLUSTER: 'crossdock_replicas' }).clickhouse).toEqual({
      url: 'http://clickhouse-1.internal:8123',
      database: 'crossdock',
      username: 'default',
      password: '',
      cluster: 'crossdock_replicas',
    });
  });

  it.each(['prod-eu', '{cluster}', 'a b', '1st', "x' ON CLUSTER y"])('refuses %j, which is not a plain identifier', (name) => {
    expect(problemsOf({ ...server, CLICKHOUSE_CLUSTER: name })).toEqual([
      { variable: 'CLICKHOUSE_CLUSTER', reason: 'must start with a letter or underscore and contain only letters, digits and underscores' },
    ]);
  });

  it('needs a server: the embedded engine is not a cluster', () => {
    expect(problemsOf({ CLICKHOUSE_CLUSTER: 'prod' })).toEqual([
      { variable: 'CLICKHOUSE_CLUSTER', reason: 'needs CLICKHOUSE_URL: the embedded engine is one process, not a cluster' },
    ]);
  });
});
