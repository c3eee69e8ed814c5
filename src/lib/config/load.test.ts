import { describe, expect, it } from 'vitest';
import { collectorEndpoint, ConfigError, loadConfig } from './load';
import { problemsOf } from '../../../test/support/config-problems';


describe('loadConfig', () => {
  it('gives embedded, loopback defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.paths.dataDir).toBe('./data');
    expect(config.clickhouse).toEqual({
      url: undefined,
      database: 'crossdock',
      username: 'default',
      password: '',
    });
    expect(config.console).toEqual({
      host: '127.0.0.1',
      port: 3000,
      collectorPort: 4318,
      demo: false,
      sessionTtlMs: 12 * 3_600_000,
      exceptionIntakeMs: 5_000,
      proposalTtlMs: 24 * 3_600_000,
      alertEvaluationMs: 30_000,
      publicUrl: 'http://127.0.0.1:3000',
      alertLinkSecret: undefined,
    });
    expect(config.runtime).toEqual({
      host: '127.0.0.1',
      adminPort: 8090,
      webhookPort: 8091,
      natsUrl: undefined,
      natsStream: 'CROSSDOCK',
      adminToken: undefined,
      idempotencyWindowMs: 72 * 3_600_000,
      topologyFile: 'config/topology/topology.json',
      reconcileCron: '*/15 * * * *',
      odooPollMs: 500,
      sourceLeaseMs: 15_000,
    });
    expect(config.smtp.url).toBeUndefined();
    expect(config.llm.enabled).toBe(false);
  });

  it('refuses a JetStream stream name NATS would not take', () => {
    expect(() => loadConfig({ CROSSDOCK_NATS_STREAM: 'my stream' })).toThrow(/CROSSDOCK_NATS_STREAM/);
    expect(loadConfig({ CROSSDOCK_NATS_STREAM: 'STAGING_2' }).runtime.natsStream).toBe('STAGING_2');
  });

  it('refuses a reconciliation schedule that is not a cron expression, naming the variable', () => {
    expect(() => loadConfig({ CROSSDOCK_RECONCILE_CRON: 'every day' })).toThrow(/CROSSDOCK_RECONCILE_CRON/);
    expect(loadConfig({ CROSSDOCK_RECONCILE_CRON: '0 2 * * *' }).runtime.reconcileCron).toBe('0 2 * * *');
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      CROSSDOCK_DATA_DIR: '/var/lib/crossdock',
      CLICKHOUSE_URL: 'https://ch.example.internal:8443',
      CLICKHOUSE_DATABASE: 'ops_2',
      CROSSDOCK_CONSOLE_PORT: '8080',
      CROSSDOCK_COLLECTOR_PORT: '14318',
      CROSSDOCK_ADMIN_PORT: '18090',
      CROSSDOCK_WEBHOOK_PORT: '18091',
      NATS_URL: 'nats://127.0.0.1:4222',
      SMTP_URL: 'smtps://alerts:secret@mail.example.internal:465',
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      OPENAI_API_KEY: 'sk-test',
      CROSSDOCK_LLM_MODEL: 'llama3.1',
      CROSSDOCK_LLM_TIMEOUT_MS: '2500',
      CROSSDOCK_EXCEPTION_INTAKE_MS: '0',
      CROSSDOCK_PROPOSAL_TTL_HOURS: '4',
      CROSSDOCK_ALERT_EVAL_MS: '5000',
      CROSSDOCK_PUBLIC_URL: 'https://console.example.internal/',
    });
    expect(config.paths.dataDir).toBe('/var/lib/crossdock');
    expect(config.clickhouse.url).toBe('https://ch.example.internal:8443');
    expect(config.clickhouse.database).toBe('ops_2');
    expect(config.console.port).toBe(8080);
    expect(config.console.alertEvaluationMs).toBe(5_000);
    expect(config.console.publicUrl).toBe('https://console.example.internal');
    expect(config.console.collectorPort).toBe(14318);
    expect(config.runtime.adminPort).toBe(18090);
    expect(config.runtime.webhookPort).toBe(18091);
    expect(config.runtime.natsUrl).toBe('nats://127.0.0.1:4222');
    expect(config.smtp.url).toBe('smtps://alerts:secret@mail.example.internal:465');
    expect(config.llm).toEqual({
      baseUrl: 'http://127.0.0.1:11434/v1',
      apiKey: 'sk-test',
      model: 'llama3.1',
      timeoutMs: 2_500,
      enabled: true,
    });
    expect(config.console).toMatchObject({ exceptionIntakeMs: 0, proposalTtlMs: 4 * 3_600_000 });
  });

  it('gives telemetry defaults and reads its variables', () => {
    expect(loadConfig({}).telemetry).toEqual({
      exportEndpoint: undefined,
      retentionDays: 30,
      maxBodyBytes: 32 * 1024 * 1024,
      bufferSpans: 100_000,
      exportBufferSpans: 50_000,
    });
    const config = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:14318',
      CROSSDOCK_TRACE_TTL_DAYS: '0',
      CROSSDOCK_COLLECTOR_MAX_BODY_MB: '8',
      CROSSDOCK_COLLECTOR_BUFFER_SPANS: '50000',
    });
    expect(config.telemetry).toEqual({ exportEndpoint: 'http://127.0.0.1:14318', retentionDays: 0, maxBodyBytes: 8 * 1024 * 1024, bufferSpans: 50_000, exportBufferSpans: 50_000 });
    expect(problemsOf({ CROSSDOCK_TRACE_TTL_DAYS: '-1' })).toEqual([{ variable: 'CROSSDOCK_TRACE_TTL_DAYS', reason: 'must be between 0 and 3650' }]);
    expect(problemsOf({ CROSSDOCK_COLLECTOR_BUFFER_SPANS: '1.5' })).toEqual([{ variable: 'CROSSDOCK_COLLECTOR_BUFFER_SPANS', reason: 'must be a whole number' }]);
  });

  it('reads the runtime admin token and idempotency window, refusing a short token', () => {
    const config = loadConfig({ CROSSDOCK_ADMIN_TOKEN: 'a-long-random-service-token', CROSSDOCK_IDEMPOTENCY_WINDOW_HOURS: '24' });
    expect(config.runtime.adminToken).toBe('a-long-random-service-token');
    expect(config.runtime.idempotencyWindowMs).toBe(86_400_000);
    expect(problemsOf({ CROSSDOCK_ADMIN_TOKEN: 'short', CROSSDOCK_IDEMPOTENCY_WINDOW_HOURS: '0' })).toEqual([
      { variable: 'CROSSDOCK_ADMIN_TOKEN', reason: 'must be at least 16 characters (use a long random secret)' },
      { variable: 'CROSSDOCK_IDEMPOTENCY_WINDOW_HOURS', reason: 'must be between 1 and 8760' },
    ]);
  });

  it('reads demo mode and session length', () => {
    expect(loadConfig({ CROSSDOCK_DEMO: 'yes', CROSSDOCK_SESSION_HOURS: '2' }).console).toMatchObject({ demo: true, sessionTtlMs: 7_200_000 });
    expect(loadConfig({ CROSSDOCK_DEMO: 'off' }).console.demo).toBe(false);
    expect(problemsOf({ CROSSDOCK_DEMO: 'maybe' })).toEqual([{ variable: 'CROSSDOCK_DEMO', reason: 'must be true or false' }]);
  });

  it('uses the default SLAs unless CROSSDOCK_SLAS gives valid ones', () => {
    expect(loadConfig({}).processes.slas.length).toBeGreaterThan(5);
    const custom = [{ process: 'returns', from: 'received', to: 'done', targetMs: 60_000 }];
    expect(loadConfig({ CROSSDOCK_SLAS: JSON.stringify(custom) }).processes.slas).toEqual(custom);
    expect(problemsOf({ CROSSDOCK_SLAS: '[{' })).toEqual([{ variable: 'CROSSDOCK_SLAS', reason: 'must be a JSON array of SLA definitions' }]);
    expect(problemsOf({ CROSSDOCK_SLAS: JSON.stringify([{ ...custom[0], to: 'shipped' }]) })).toEqual([
      { variable: 'CROSSDOCK_SLAS', reason: '0.to: shipped is not a milestone of returns' },
    ]);
  });

  it('sends spans to the local collector unless OTEL_EXPORTER_OTLP_ENDPOINT says otherwise', () => {
    expect(collectorEndpoint(loadConfig({}))).toBe('http://127.0.0.1:4318');
    expect(collectorEndpoint(loadConfig({ CROSSDOCK_COLLECTOR_PORT: '14318' }))).toBe('http://127.0.0.1:14318');
    expect(collectorEndpoint(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.internal' }))).toBe('https://otel.example.internal');
  });

  it('treats blank variables as unset', () => {
    const config = loadConfig({ CLICKHOUSE_URL: '', CROSSDOCK_CONSOLE_PORT: '  ' });
    expect(config.clickhouse.url).toBeUndefined();
    expect(config.console.port).toBe(3000);
  });

  it('names the variable and the reason for a bad port', () => {
    expect(problemsOf({ CROSSDOCK_CONSOLE_PORT: 'three thousand' })).toEqual([
      { variable: 'CROSSDOCK_CONSOLE_PORT', reason: 'must be a number' },
    ]);
    expect(problemsOf({ CROSSDOCK_ADMIN_PORT: '70000' })).toEqual([
      { variable: 'CROSSDOCK_ADMIN_PORT', reason: 'must be between 1 and 65535' },
    ]);
  });

  it('rejects URLs with the wrong scheme', () => {
    expect(problemsOf({ CLICKHOUSE_URL: 'tcp://127.0.0.1:9000' })).toEqual([
      { variable: 'CLICKHOUSE_URL', reason: 'must use http:// or https://' },
    ]);
    expect(problemsOf({ SMTP_URL: 'not a url' })).toEqual([
      { variable: 'SMTP_URL', reason: 'must be a URL (smtp:// or smtps://)' },
    ]);
  });

  it('refuses a database name that is not a plain identifier', () => {
    const [problem] = problemsOf({ CLICKHOUSE_DATABASE: 'ops; DROP TABLE x' });
    expect(problem.variable).toBe('CLICKHOUSE_DATABASE');
    expect(problem.reason).toMatch(/letters, digits and underscores/);
  });

  it('gives Odoo defaults for the local simulator and reads the Odoo variables', () => {
    expect(loadConfig({}).odoo).toEqual({
      url: 'http://127.0.0.1:8069',
      database: 'crossdock',
      login: 'admin',
      apiKey: undefined,
      version: undefined,
      overlapSeconds: 60,
      timeoutMs: 30_000,
      webhookSecret: undefined,
    });
    const odoo = loadConfig({
      ODOO_URL: 'https://erp.example.internal',
      ODOO_DATABASE: 'prod',
      ODOO_LOGIN: 'integration@example.com',
      ODOO_API_KEY: 'b0a1c2d3e4',
      ODOO_VERSION: '19',
      ODOO_POLL_OVERLAP_SECONDS: '120',
      ODOO_TIMEOUT_SECONDS: '10',
      ODOO_WEBHOOK_SECRET: 'whsec-0123456789abcdef',
    }).odoo;
    expect(odoo).toEqual({
      url: 'https://erp.example.internal',
      database: 'prod',
      login: 'integration@example.com',
      apiKey: 'b0a1c2d3e4',
      version: 19,
      overlapSeconds: 120,
      timeoutMs: 10_000,
      webhookSecret: 'whsec-0123456789abcdef',
    });
    expect(problemsOf({ ODOO_VERSION: '15' })).toEqual([{ variable: 'ODOO_VERSION', reason: 'must be 16, 17, 18 or 19 (or unset to detect it)' }]);
    expect(problemsOf({ ODOO_URL: 'ftp://erp' })[0].variable).toBe('ODOO_URL');
    expect(problemsOf({ ODOO_WEBHOOK_SECRET: 'short' })[0].variable).toBe('ODOO_WEBHOOK_SECRET');
  });

  it('reports every bad variable at once, each once', () => {
    const error = (() => {
      try {
        loadConfig({ CROSSDOCK_HOST: 'bad host!', NATS_URL: 'http://127.0.0.1:4222', CROSSDOCK_WEBHOOK_PORT: '0' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.map((p) => p.variable).sort()).toEqual([
      'CROSSDOCK_HOST',
      'CROSSDOCK_WEBHOOK_PORT',
      'NATS_URL',
    ]);
    expect(error!.message).toContain('NATS_URL: must use nats:// or tls://');
  });
});

describe('warehouses configuration', () => {
  it('points at the local simulators by default, with no secrets', () => {
    expect(loadConfig({}).warehouses).toEqual({
      wmsRest: { url: 'http://127.0.0.1:9101', apiKey: undefined, oauth2: undefined, webhookSecret: undefined },
      wmsBatch: { sftp: { host: '127.0.0.1', port: 9122, username: 'crossdock', password: undefined }, clientCode: 'CROSSDOCK' },
      edi3pl: { sftp: { host: '127.0.0.1', port: 9123, username: 'crossdock', password: undefined }, ourId: 'CROSSDOCK', partnerId: 'EDI3PL', usage: 'P', ackSlaMs: 3_600_000 },
    });
  });

  it('reads endpoints, credentials and X12 ids', () => {
    const secret = `whsec_${Buffer.from('0123456789abcdef01234567').toString('base64')}`;
    const config = loadConfig({
      WMS_REST_URL: 'https://wms.example.com',
      WMS_REST_CLIENT_ID: 'crossdock',
      WMS_REST_CLIENT_SECRET: 's3cret',
      WMS_REST_WEBHOOK_SECRET: secret,
      WMS_BATCH_SFTP_URL: 'sftp://dc-col@sftp.example.com:2222',
      WMS_BATCH_SFTP_PASSWORD: 'pw',
      EDI_3PL_OUR_ID: 'ACMEDIST',
      EDI_3PL_USAGE: 'T',
      EDI_3PL_ACK_SLA_MINUTES: '30',
    }).warehouses;
    expect(config.wmsRest).toEqual({ url: 'https://wms.example.com', apiKey: undefined, oauth2: { tokenUrl: 'https://wms.example.com/oauth/token', clientId: 'crossdock', clientSecret: 's3cret' }, webhookSecret: secret });
    expect(config.wmsBatch.sftp).toEqual({ host: 'sftp.example.com', port: 2222, username: 'dc-col', password: 'pw' });
    expect(config.edi3pl).toMatchObject({ ourId: 'ACMEDIST', usage: 'T', ackSlaMs: 1_800_000 });
  });

  it('names each bad warehouse variable', () => {
    expect(problemsOf({ WMS_REST_WEBHOOK_SECRET: 'hunter2', WMS_BATCH_SFTP_URL: 'ftp://x', EDI_3PL_USAGE: 'X', WMS_REST_CLIENT_ID: 'only-half' })).toEqual([
      { variable: 'WMS_REST_WEBHOOK_SECRET', reason: 'must be whsec_ followed by at least 24 bytes of base64' },
      { variable: 'WMS_BATCH_SFTP_URL', reason: 'must be sftp://user@host:port' },
      { variable: 'EDI_3PL_USAGE', reason: 'must be P (production) or T (test)' },
    ]);
    expect(problemsOf({ WMS_REST_CLIENT_ID: 'only-half' })).toEqual([{ variable: 'WMS_REST_CLIENT_SECRET', reason: 'must be set together with WMS_REST_CLIENT_ID' }]);
  });
});
