import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/lib/config';
import { readMigrationDir } from '../../src/lib/server/clickhouse';

// The stock OpenTelemetry Collector's configuration (config/otel-collector/). otelcol-contrib
// cannot be downloaded here, so it is not run: this reads the file and checks what it names
// against Crossdock's configuration and migrations. Whether ClickHouse takes the exporter's
// INSERT is checked in otel-exporter-schema.test.ts.

type Yaml = string | string[] | { [key: string]: Yaml };

/**
 * Reads the YAML subset the file is written in: nested mappings by indentation, plain or quoted
 * scalars, flow lists `[a, b]`, comments. Anything else fails loudly, so an edit that leaves the
 * subset shows up here instead of being misread. (`yaml` is not a dependency of this project.)
 */
function readYamlSubset(text: string): { [key: string]: Yaml } {
  const lines = text
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trimEnd())
    .filter((line) => line.trim() !== '');
  let next = 0;
  const indentOf = (line: string) => line.length - line.trimStart().length;
  function mapping(indent: number): { [key: string]: Yaml } {
    const result: { [key: string]: Yaml } = {};
    while (next < lines.length && indentOf(lines[next]) >= indent) {
      const line = lines[next++];
      const entry = /^\s*([\w./-]+):(?:\s+(.+))?$/.exec(line);
      if (indentOf(line) !== indent || !entry) throw new Error(`outside the YAML subset this test reads: ${JSON.stringify(line)}`);
      const [, key, value] = entry;
      if (key in result) throw new Error(`duplicate key ${key}`);
      const child = next < lines.length ? indentOf(lines[next]) : indent;
      result[key] = value !== undefined ? scalar(value) : child > indent ? mapping(child) : {};
    }
    return result;
  }
  return mapping(0);
}

function scalar(value: string): Yaml {
  if (value.startsWith('[') && value.endsWith(']')) return value.slice(1, -1).split(',').map((item) => item.trim()).filter(Boolean);
  if (/^(['"]).*\1$/.test(value)) return value.slice(1, -1);
  return value;
}

function at(node: Yaml | undefined, path: string): Yaml | undefined {
  return path.split('.').reduce<Yaml | undefined>((n, key) => (n && typeof n === 'object' && !Array.isArray(n) ? n[key] : undefined), node);
}

const file = fileURLToPath(new URL('../../config/otel-collector/otelcol-clickhouse.yaml', import.meta.url));
const config = readYamlSubset(readFileSync(file, 'utf8'));
const exporter = at(config, 'exporters.clickhouse') as { [key: string]: Yaml };

describe('config/otel-collector/otelcol-clickhouse.yaml', () => {
  it('reads in the YAML subset and refuses what lies outside it', () => {
    expect(Object.keys(config)).toEqual(['receivers', 'processors', 'exporters', 'extensions', 'service']);
    expect(() => readYamlSubset('a:\n  - b\n')).toThrow(/outside the YAML subset/);
    expect(() => readYamlSubset('a: 1\na: 2\n')).toThrow(/duplicate key a/);
  });

  it('receives OTLP on loopback, gRPC 4317 and HTTP 4318', () => {
    expect(at(config, 'receivers.otlp.protocols.grpc.endpoint')).toBe('127.0.0.1:4317');
    expect(at(config, 'receivers.otlp.protocols.http.endpoint')).toBe('127.0.0.1:4318');
  });

  it('leaves the schema to the migrations and writes the table they create', async () => {
    expect(exporter.create_schema).toBe('false');
    // Retention is CROSSDOCK_TRACE_TTL_DAYS, applied by the console to every span table.
    expect(exporter).not.toHaveProperty('ttl');
    expect(exporter).not.toHaveProperty('table_engine');
    expect(exporter).not.toHaveProperty('cluster_name');
    expect(exporter.traces_table_name).toBe('otel_traces');
    const migrations = await readMigrationDir(fileURLToPath(new URL('../../migrations/', import.meta.url)));
    const creators = migrations.filter(({ sql }) => /CREATE TABLE IF NOT EXISTS otel_traces \(/.test(sql)).map((m) => m.file);
    expect(creators).toEqual(['0001_create_otel_traces.sql']);
  });

  it("takes ClickHouse's address and login from Crossdock's own variables, with the same defaults", () => {
    const references = Object.fromEntries(
      ['endpoint', 'database', 'username', 'password'].map((key) => {
        const match = /^\$\{env:(CLICKHOUSE_[A-Z_]+)(?::-(.*))?\}$/.exec(String(exporter[key]));
        expect(match, `${key} reads an environment variable`).not.toBeNull();
        return [key, { variable: match![1], fallback: match![2] }];
      }),
    );
    expect(references).toEqual({
      endpoint: { variable: 'CLICKHOUSE_URL', fallback: undefined },
      database: { variable: 'CLICKHOUSE_DATABASE', fallback: 'crossdock' },
      username: { variable: 'CLICKHOUSE_USER', fallback: 'default' },
      password: { variable: 'CLICKHOUSE_PASSWORD', fallback: '' },
    });
    const crossdock = loadConfig({ CLICKHOUSE_URL: 'http://clickhouse-1:8123' }).clickhouse;
    expect({ database: crossdock.database, username: crossdock.username, password: crossdock.password }).toEqual({
      database: references.database.fallback,
      username: references.username.fallback,
      password: references.password.fallback,
    });
  });

  it('has one traces pipeline, batching before the exporter, and defines every component it uses', () => {
    const pipelines = at(config, 'service.pipelines') as { [key: string]: { [key: string]: string[] } };
    expect(Object.keys(pipelines)).toEqual(['traces']);
    expect(pipelines.traces).toEqual({ receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['clickhouse'] });
    for (const [section, names] of [
      ['receivers', pipelines.traces.receivers],
      ['processors', pipelines.traces.processors],
      ['exporters', pipelines.traces.exporters],
      ['extensions', at(config, 'service.extensions') as string[]],
    ] as const)
      for (const name of names) expect(at(config, `${section}.${name}`), `${section}.${name}`).toBeDefined();
    expect(at(config, 'processors.batch.send_batch_size')).toBe('20000');
  });
});
