import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPAN_COLUMNS } from '../../src/lib/collectors/clickhouse-span-sink';
import { migrate, readMigrationDir, type ClickHouse } from '../../src/lib/server/clickhouse';
import { freshClickHouse } from '../support/clickhouse';

// Whether the stock OpenTelemetry Collector's ClickHouse exporter, with create_schema: false, can
// write into the otel_traces our migrations create, and whether our materialized views fire on
// its inserts. Column by column against the exporter's classic DDL
// (opentelemetry-collector-contrib exporter/clickhouseexporter/internal/sqltemplates/
// traces_table.sql @ f92a5763, its ENGINE and TTL placeholders filled as create_schema would with
// no ttl), then the exporter's own INSERT statement (traces_insert.sql @ 61540ced) with rows in
// both enum spellings the exporter has written over time. The exporter itself does not run here.

const EXPORTER_DDL = (db: string) => `CREATE TABLE IF NOT EXISTS "${db}"."otel_traces" (
    Timestamp DateTime64(9) CODEC(Delta, ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    ParentSpanId String CODEC(ZSTD(1)),
    TraceState String CODEC(ZSTD(1)),
    SpanName LowCardinality(String) CODEC(ZSTD(1)),
    SpanKind LowCardinality(String) CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ScopeName String CODEC(ZSTD(1)),
    ScopeVersion String CODEC(ZSTD(1)),
    SpanAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    Duration UInt64 CODEC(ZSTD(1)),
    StatusCode LowCardinality(String) CODEC(ZSTD(1)),
    StatusMessage String CODEC(ZSTD(1)),
    Events Nested (Timestamp DateTime64(9), Name LowCardinality(String), Attributes Map(LowCardinality(String), String)) CODEC(ZSTD(1)),
    Links Nested (TraceId String, SpanId String, TraceState String, Attributes Map(LowCardinality(String), String)) CODEC(ZSTD(1)),
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_span_attr_key mapKeys(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_span_attr_value mapValues(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_duration Duration TYPE minmax GRANULARITY 1
) ENGINE = MergeTree()
PARTITION BY toDate(Timestamp)
ORDER BY (ServiceName, SpanName, toDateTime(Timestamp))
SETTINGS index_granularity=8192, ttl_only_drop_parts = 1`;

/**
 * The exporter's current template (traces_table.sql, the variant for ClickHouse < 26.2 with bloom
 * filters; 26.2+ swaps the indexes for text indexes), as the same fill-in renders it.
 */
const EXPORTER_DDL_CURRENT = (db: string) =>
  EXPORTER_DDL(db)
    .replace('"otel_traces"', '"otel_traces_current"')
    .replace('Timestamp DateTime64(9) CODEC(Delta, ZSTD(1))', 'Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1))')
    .replace('Duration UInt64 CODEC(ZSTD(1))', 'Duration UInt64 CODEC(T64, ZSTD(1))')
    .replace(
      '    INDEX idx_trace_id',
      `    ResourceAttributeItems Array(String) ALIAS arrayMap(kv -> concat(kv.1, '=', kv.2), CAST(ResourceAttributes, 'Array(Tuple(String, String))')),
    SpanAttributeItems Array(String) ALIAS arrayMap(kv -> concat(kv.1, '=', kv.2), CAST(SpanAttributes, 'Array(Tuple(String, String))')),
    INDEX idx_trace_id`,
    )
    .replace(
      'ORDER BY (ServiceName, SpanName, toDateTime(Timestamp))',
      'PRIMARY KEY (ServiceName, SpanName, toDateTime(Timestamp))\nORDER BY (ServiceName, SpanName, toDateTime(Timestamp), Timestamp)',
    );

/** The exporter's INSERT column list (traces_insert.sql), in its order. */
const EXPORTER_INSERT_COLUMNS = [
  'Timestamp', 'TraceId', 'SpanId', 'ParentSpanId', 'TraceState', 'SpanName', 'SpanKind', 'ServiceName', 'ResourceAttributes',
  'ScopeName', 'ScopeVersion', 'SpanAttributes', 'Duration', 'StatusCode', 'StatusMessage', 'Events.Timestamp', 'Events.Name',
  'Events.Attributes', 'Links.TraceId', 'Links.SpanId', 'Links.TraceState', 'Links.Attributes',
];

let ch: ClickHouse;
const reference = `exporter_ref_${process.pid}`;
beforeAll(async () => {
  ch = await freshClickHouse('exporter_schema');
  await migrate(ch, await readMigrationDir(fileURLToPath(new URL('../../migrations/', import.meta.url))));
  await ch.client.command({ query: `CREATE DATABASE IF NOT EXISTS ${reference}` });
  await ch.client.command({ query: EXPORTER_DDL(reference) });
  await ch.client.command({ query: EXPORTER_DDL_CURRENT(reference) });
});
afterAll(async () => {
  await ch.client.command({ query: `DROP DATABASE IF EXISTS ${reference}` });
  await ch.close();
});

async function rows<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await ch.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

interface Column {
  name: string;
  type: string;
  default_kind: string;
  default_expression: string;
  compression_codec: string;
}
const columnsOf = (db: string, table = 'otel_traces') =>
  rows<Column>(
    `SELECT name, type, default_kind, default_expression, compression_codec FROM system.columns
     WHERE database = {db:String} AND table = {table:String} ORDER BY position`,
    { db, table },
  );

describe("otel_traces against the exporter's schema", () => {
  it("has the exporter's columns, in its order, with its types and codecs, plus only the materialized CorrelationId", async () => {
    const ours = await columnsOf(ch.database);
    const theirs = await columnsOf(reference);
    expect(ours.filter((c) => c.name !== 'CorrelationId')).toEqual(theirs);
    expect(ours.find((c) => c.name === 'CorrelationId')).toEqual({
      name: 'CorrelationId',
      type: 'String',
      default_kind: 'MATERIALIZED',
      default_expression: "SpanAttributes['correlation.id']",
      compression_codec: 'CODEC(ZSTD(1))',
    });
  });

  it("differs from the exporter's current template only in Duration's codec and its two ALIAS columns", async () => {
    const ours = (await columnsOf(ch.database)).filter((c) => c.name !== 'CorrelationId');
    const current = await columnsOf(reference, 'otel_traces_current');
    expect(current.filter((c) => c.default_kind === 'ALIAS').map((c) => c.name)).toEqual(['ResourceAttributeItems', 'SpanAttributeItems']);
    const stored = current.filter((c) => c.default_kind !== 'ALIAS');
    expect(stored.map(({ name, type }) => ({ name, type }))).toEqual(ours.map(({ name, type }) => ({ name, type })));
    const codecs = stored
      .map((c, i) => ({ name: c.name, current: c.compression_codec, ours: ours[i].compression_codec }))
      .filter((c) => c.current !== c.ours);
    // Delta on a 64-bit column is Delta(8): the template's Timestamp codec is the classic one.
    expect(codecs).toEqual([{ name: 'Duration', current: 'CODEC(T64, ZSTD(1))', ours: 'CODEC(ZSTD(1))' }]);
  });

  it('takes exactly the INSERT columns of the exporter, which are the ones our collector writes', async () => {
    const insertable = (await columnsOf(ch.database)).filter((c) => c.default_kind === '').map((c) => c.name);
    expect(insertable).toEqual(EXPORTER_INSERT_COLUMNS);
    expect([...SPAN_COLUMNS]).toEqual(EXPORTER_INSERT_COLUMNS);
  });

  it("keeps the exporter's keys and indexes, adding one bloom index", async () => {
    const keys = (db: string, table = 'otel_traces') =>
      rows<Record<string, string>>(`SELECT partition_key, sorting_key, primary_key FROM system.tables WHERE database = {db:String} AND name = {table:String}`, { db, table });
    expect(await keys(ch.database)).toEqual(await keys(reference));
    // The current template sorts by the exact Timestamp within the same primary key.
    expect(await keys(reference, 'otel_traces_current')).toEqual([
      { ...(await keys(reference))[0]!, sorting_key: 'ServiceName, SpanName, toDateTime(Timestamp), Timestamp' },
    ]);
    const indexes = (db: string) =>
      rows<{ name: string; expr: string; type_full: string }>(
        `SELECT name, expr, type_full FROM system.data_skipping_indices WHERE database = {db:String} AND table = 'otel_traces' ORDER BY name`,
        { db },
      );
    const ours = await indexes(ch.database);
    expect(ours.filter((i) => i.name !== 'idx_correlation_id')).toEqual(await indexes(reference));
    expect(ours.find((i) => i.name === 'idx_correlation_id')).toEqual({ name: 'idx_correlation_id', expr: 'CorrelationId', type_full: 'bloom_filter(0.001)' });
  });
});

describe("the exporter's INSERT into our tables", () => {
  const trace = '5b8efff798038103d269b633813fc60c';
  const when = '2026-11-27 10:00:00.000000000';
  /** A row as VALUES, in the exporter's column order. */
  const row = (span: string, parent: string, name: string, kind: string, status: string, attrs: string, events = "[], [], []") =>
    `('${when}', '${trace}', '${span}', '${parent}', '', '${name}', '${kind}', 'crossdock-runtime', {'service.name':'crossdock-runtime'}, ` +
    `'crossdock', '0.1.0', ${attrs}, 250000000, '${status}', '', ${events}, [], [], [], [])`;

  beforeAll(async () => {
    const order = "'correlation.id':'S00042','process.name':'order_fulfillment'";
    await ch.client.command({
      // traces_insert.sql, with the database and table quoted as the exporter renders them.
      query: `INSERT INTO "${ch.database}"."otel_traces" (${EXPORTER_INSERT_COLUMNS.join(', ')}) VALUES
        ${row('00f067aa0ba902b7', '', 'process crossdock.order.released.v1', 'Server', 'Unset', `{${order},'process.milestone':'released'}`)},
        ${row('00f067aa0ba902b8', '00f067aa0ba902b7', 'POST /orders', 'Client', 'Error',
          `{${order},'crossdock.endpoint.id':'wms-rest','http.response.status_code':'503','crossdock.exception.category':'partner_unavailable'}`,
          `['${when}'], ['exception'], [{'exception.message':'WMS answered 503'}]`)},
        ${row('00f067aa0ba902b9', '00f067aa0ba902b7', 'execute_kw stock.picking', 'SPAN_KIND_CLIENT', 'STATUS_CODE_ERROR',
          `{${order},'crossdock.endpoint.id':'odoo'}`)}`,
    });
  });

  it('is accepted, and the materialized column is filled', async () => {
    expect(await rows(`SELECT count() AS spans, uniqExact(CorrelationId) AS ids, any(CorrelationId) AS id FROM otel_traces`)).toEqual([
      { spans: '3', ids: '1', id: 'S00042' },
    ]);
  });

  it('feeds every materialized view, in both enum spellings', async () => {
    expect(await rows(`SELECT TraceId FROM otel_traces_trace_id_ts`)).toEqual([{ TraceId: trace }]);
    expect(await rows(`SELECT sum(Spans) AS spans, sum(Errors) AS errors FROM otel_traces_correlation_ts WHERE CorrelationId = 'S00042'`)).toEqual([
      { spans: '3', errors: '2' },
    ]);
    expect(
      await rows(`SELECT mapKeys(minMap(Milestones)) AS milestones, sum(Errors) AS errors, sumMap(ErrorCategories) AS categories
                  FROM process_transactions_v1 WHERE Process = 'order_fulfillment' AND CorrelationId = 'S00042'`),
    ).toEqual([{ milestones: ['released'], errors: '2', categories: { partner_unavailable: '1' } }]);
    expect(await rows(`SELECT Endpoint, sum(Calls) AS calls, sum(Errors) AS errors FROM partner_calls_1m_v1 GROUP BY Endpoint ORDER BY Endpoint`)).toEqual([
      { Endpoint: 'odoo', calls: '1', errors: '1' },
      { Endpoint: 'wms-rest', calls: '1', errors: '1' },
    ]);
    expect(await rows(`SELECT SpanId, Endpoint, Category, HttpStatus, Message FROM exception_spans_v1 ORDER BY SpanId`)).toEqual([
      { SpanId: '00f067aa0ba902b8', Endpoint: 'wms-rest', Category: 'partner_unavailable', HttpStatus: 503, Message: 'WMS answered 503' },
      { SpanId: '00f067aa0ba902b9', Endpoint: 'odoo', Category: '', HttpStatus: 0, Message: '' },
    ]);
  });
});
