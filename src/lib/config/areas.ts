import { Cron } from 'croner';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { defaultSlas, SlaDefinitions } from '../processes/slas';
import { flag, host, identifier, optionalIdentifier, optionalText, optionalUrl, port, text, wholeNumber } from './env-values';

/**
 * One schema per area of configuration. Each reads only its own variables and turns them into
 * the shape its modules take through their constructors. The variable names are the keys, so a
 * validation error names the variable at fault.
 */

export const PathsEnv = z
  .object({ CROSSDOCK_DATA_DIR: text('./data') })
  .transform((env) => ({ dataDir: env.CROSSDOCK_DATA_DIR }));
export type PathsConfig = z.output<typeof PathsEnv>;

export const ClickHouseEnv = z
  .object({
    CLICKHOUSE_URL: optionalUrl(['http:', 'https:']),
    CLICKHOUSE_DATABASE: identifier('crossdock'),
    CLICKHOUSE_USER: text('default'),
    CLICKHOUSE_PASSWORD: text(''),
    CLICKHOUSE_CLUSTER: optionalIdentifier(),
  })
  .superRefine((env, ctx) => {
    // The embedded engine lives inside one process: there is no cluster to run ON CLUSTER against.
    if (env.CLICKHOUSE_CLUSTER !== undefined && env.CLICKHOUSE_URL === undefined)
      ctx.addIssue({ code: 'custom', path: ['CLICKHOUSE_CLUSTER'], message: 'needs CLICKHOUSE_URL: the embedded engine is one process, not a cluster' });
  })
  .transform((env) => ({
    /** Unset means the embedded engine (chDB) under the data directory. */
    url: env.CLICKHOUSE_URL,
    database: env.CLICKHOUSE_DATABASE,
    username: env.CLICKHOUSE_USER,
    password: env.CLICKHOUSE_PASSWORD,
    /** Set, migrations run ON CLUSTER with Replicated*MergeTree engines (docs/clickhouse-cluster.md). */
    ...(env.CLICKHOUSE_CLUSTER === undefined ? {} : { cluster: env.CLICKHOUSE_CLUSTER }),
  }));
export type ClickHouseConfig = z.output<typeof ClickHouseEnv>;

export const ConsoleEnv = z
  .object({
    CROSSDOCK_HOST: host('127.0.0.1'),
    CROSSDOCK_CONSOLE_PORT: port(3000),
    CROSSDOCK_COLLECTOR_PORT: port(4318),
    CROSSDOCK_DEMO: flag(false),
    CROSSDOCK_SESSION_HOURS: wholeNumber(12, 1, 24 * 30),
    CROSSDOCK_EXCEPTION_INTAKE_MS: wholeNumber(5_000, 0, 3_600_000),
    CROSSDOCK_PROPOSAL_TTL_HOURS: wholeNumber(24, 1, 24 * 30),
    DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
    CROSSDOCK_ALERT_EVAL_MS: wholeNumber(30_000, 0, 3_600_000),
    CROSSDOCK_PUBLIC_URL: optionalUrl(['http:', 'https:']),
    CROSSDOCK_ALERT_LINK_SECRET: optionalText().refine(
      (v) => v === undefined || v.length >= 32,
      'must be at least 32 characters (use a long random secret, e.g. openssl rand -base64 48)',
    ),
  })
  .transform((env) => ({
    host: env.CROSSDOCK_HOST,
    port: env.CROSSDOCK_CONSOLE_PORT,
    collectorPort: env.CROSSDOCK_COLLECTOR_PORT,
    /** Demo mode seeds demo users (printed at start); never enable it where real people sign in. */
    demo: env.CROSSDOCK_DEMO,
    /** Idle time after which a session ends. */
    sessionTtlMs: env.CROSSDOCK_SESSION_HOURS * 3_600_000,
    /** How often the exception queue gathers failed spans, dead letters and SLA breaches; 0 turns it off. */
    exceptionIntakeMs: env.CROSSDOCK_EXCEPTION_INTAKE_MS,
    /** A remediation proposal not decided within this time expires. */
    proposalTtlMs: env.CROSSDOCK_PROPOSAL_TTL_HOURS * 3_600_000,
    /**
     * Set, the console keeps its state (people, sessions, tokens, exceptions, proposals, audit,
     * alerting) in this PostgreSQL, shared by every replica; unset, in `console.db` under the data directory.
     */
    databaseUrl: env.DATABASE_URL,
    /** How often alert rules are evaluated against ClickHouse; 0 turns evaluation off. */
    alertEvaluationMs: env.CROSSDOCK_ALERT_EVAL_MS,
    /** The console's address as people reach it, for links in alert email; unset, http://host:port. */
    publicUrl: (env.CROSSDOCK_PUBLIC_URL ?? `http://${env.CROSSDOCK_HOST === '0.0.0.0' ? '127.0.0.1' : env.CROSSDOCK_HOST}:${env.CROSSDOCK_CONSOLE_PORT}`).replace(/\/+$/, ''),
    /** Signs the acknowledgement links in alert email; unset, a random secret per process (links die with it). */
    alertLinkSecret: env.CROSSDOCK_ALERT_LINK_SECRET,
  }));
export type ConsoleConfig = z.output<typeof ConsoleEnv>;

export const RuntimeEnv = z
  .object({
    CROSSDOCK_HOST: host('127.0.0.1'),
    CROSSDOCK_ADMIN_PORT: port(8090),
    CROSSDOCK_WEBHOOK_PORT: port(8091),
    NATS_URL: optionalUrl(['nats:', 'tls:']),
    CROSSDOCK_NATS_STREAM: text('CROSSDOCK').pipe(z.string().regex(/^[A-Z][A-Z0-9_]{0,31}$/, 'must be 1 to 32 upper-case letters, digits or _, starting with a letter')),
    CROSSDOCK_ADMIN_TOKEN: optionalText().refine(
      (v) => v === undefined || v.length >= 16,
      'must be at least 16 characters (use a long random secret)',
    ),
    CROSSDOCK_IDEMPOTENCY_WINDOW_HOURS: wholeNumber(72, 1, 8_760),
    CROSSDOCK_TOPOLOGY_FILE: text('config/topology/topology.json'),
    CROSSDOCK_RECONCILE_CRON: text('*/15 * * * *').refine(isCron, 'must be a cron expression such as "*/15 * * * *" (minute hour day month weekday)'),
    CROSSDOCK_ODOO_POLL_MS: wholeNumber(500, 50, 3_600_000),
    CROSSDOCK_SOURCE_LEASE_MS: wholeNumber(15_000, 1_000, 600_000),
  })
  .transform((env) => ({
    host: env.CROSSDOCK_HOST,
    adminPort: env.CROSSDOCK_ADMIN_PORT,
    webhookPort: env.CROSSDOCK_WEBHOOK_PORT,
    /** Unset means the embedded SQLite bus; set, the runtime shares work over NATS JetStream. */
    natsUrl: env.NATS_URL,
    /** The JetStream stream (and, lower-cased, subject prefix) the runtimes of one environment share. */
    natsStream: env.CROSSDOCK_NATS_STREAM,
    /** Bearer token for the admin API; unset means the admin API refuses every request. */
    adminToken: env.CROSSDOCK_ADMIN_TOKEN,
    /** How long an inbound idempotency key is remembered, in ms. */
    idempotencyWindowMs: env.CROSSDOCK_IDEMPOTENCY_WINDOW_HOURS * 3_600_000,
    /** Warehouses, their mappings and the routes (see config/topology/). */
    topologyFile: env.CROSSDOCK_TOPOLOGY_FILE,
    /** When reconciliation compares Odoo with every warehouse (cron syntax, croner). */
    reconcileCron: env.CROSSDOCK_RECONCILE_CRON,
    /** How often Odoo is asked for newly released orders, in ms. */
    odooPollMs: env.CROSSDOCK_ODOO_POLL_MS,
    /**
     * Several runtimes sharing a data directory and a stream: one of them runs the sources (Odoo
     * poll, warehouse inboxes) under a lease in the runtime database; another takes over when the
     * holder has not renewed it for this long, in ms.
     */
    sourceLeaseMs: env.CROSSDOCK_SOURCE_LEASE_MS,
  }));
export type RuntimeConfig = z.output<typeof RuntimeEnv>;

/** A sender as mail headers take it: `Name <address>` or a bare address, on one line. */
const mailbox = (fallback: string) =>
  text(fallback).pipe(
    z.string().refine((value) => {
      const match = /^(?:[^<>\r\n]*<([^<>\s]+)>|([^<>\s]+))$/.exec(value.trim());
      return match !== null && z.email().safeParse(match[1] ?? match[2]).success;
    }, 'must be an address such as "Crossdock alerts <alerts@example.com>" or "alerts@example.com"'),
  );

/** The text of a PEM file named by the variable, read at start so a wrong path stops the process then, not at the first alert. */
const pemFile = () =>
  optionalText().transform((path, ctx) => {
    if (path === undefined) return undefined;
    let pem: string;
    try {
      pem = readFileSync(path, 'utf8');
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `cannot be read: ${(error as Error).message}` });
      return z.NEVER;
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      ctx.addIssue({ code: 'custom', message: 'must be a PEM file holding at least one certificate (-----BEGIN CERTIFICATE-----)' });
      return z.NEVER;
    }
    return pem;
  });

export const SmtpEnv = z
  .object({
    SMTP_URL: optionalUrl(['smtp:', 'smtps:']),
    SMTP_FROM: mailbox('Crossdock alerts <alerts@crossdock.localhost>'),
    SMTP_TLS_CA_FILE: pemFile(),
  })
  .transform((env) => ({
    /**
     * The mail server, with the login in it (a secret: only from the environment). smtps:// is TLS
     * from the start; smtp:// upgrades with STARTTLS when the server offers it. Unset, alert email
     * is not sent: it stays in the outbox until a server is configured.
     */
    url: env.SMTP_URL,
    /** The From of alert email. */
    from: env.SMTP_FROM,
    /** PEM certificates trusted for the server's certificate besides the public ones (a private CA). */
    tlsCa: env.SMTP_TLS_CA_FILE,
  }));
export type SmtpConfig = z.output<typeof SmtpEnv>;

export const LlmEnv = z
  .object({
    OPENAI_BASE_URL: optionalUrl(['http:', 'https:']),
    OPENAI_API_KEY: optionalText(),
    CROSSDOCK_LLM_MODEL: text('gpt-4o-mini'),
    CROSSDOCK_LLM_TIMEOUT_MS: wholeNumber(10_000, 100, 600_000),
  })
  .transform((env) => ({
    baseUrl: env.OPENAI_BASE_URL,
    apiKey: env.OPENAI_API_KEY,
    model: env.CROSSDOCK_LLM_MODEL,
    /** How long one classification waits for the LLM before the offline engine answers instead. */
    timeoutMs: env.CROSSDOCK_LLM_TIMEOUT_MS,
    /** The LLM engine is used only when an endpoint or key is given; otherwise the offline classifier. */
    enabled: env.OPENAI_BASE_URL !== undefined || env.OPENAI_API_KEY !== undefined,
  }));
export type LlmConfig = z.output<typeof LlmEnv>;

export const TelemetryEnv = z
  .object({
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl(['http:', 'https:']),
    CROSSDOCK_TRACE_TTL_DAYS: wholeNumber(30, 0, 3650),
    CROSSDOCK_COLLECTOR_MAX_BODY_MB: wholeNumber(32, 1, 512),
    CROSSDOCK_COLLECTOR_BUFFER_SPANS: wholeNumber(100_000, 1_000, 5_000_000),
    CROSSDOCK_EXPORT_BUFFER_SPANS: wholeNumber(50_000, 1_000, 1_000_000),
  })
  .transform((env) => ({
    /** Where this process sends its spans (OTLP/HTTP base URL); unset, the local console's collector (see `collectorEndpoint`). */
    exportEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    /** Days spans are kept in ClickHouse; 0 keeps them forever. */
    retentionDays: env.CROSSDOCK_TRACE_TTL_DAYS,
    /** The collector refuses bodies larger than this (after decompression) with 413. */
    maxBodyBytes: env.CROSSDOCK_COLLECTOR_MAX_BODY_MB * 1024 * 1024,
    /** Spans the collector holds before answering 429/503 instead of growing. */
    bufferSpans: env.CROSSDOCK_COLLECTOR_BUFFER_SPANS,
    /** Spans a process holds while the collector is unreachable; beyond this the oldest are dropped and counted. */
    exportBufferSpans: env.CROSSDOCK_EXPORT_BUFFER_SPANS,
  }));
export type TelemetryConfig = z.output<typeof TelemetryEnv>;

export const ProcessesEnv = z
  .object({
    CROSSDOCK_SLAS: z
      .preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), z.string().optional())
      .transform((value, ctx) => {
        if (value === undefined) return defaultSlas;
        let json: unknown;
        try {
          json = JSON.parse(value);
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON array of SLA definitions' });
          return z.NEVER;
        }
        const parsed = SlaDefinitions.safeParse(json);
        if (parsed.success) return parsed.data;
        const issue = parsed.error.issues[0];
        ctx.addIssue({ code: 'custom', message: `${issue.path.join('.')}: ${issue.message}` });
        return z.NEVER;
      }),
  })
  .transform((env) => ({
    /** Targets per process step and service class; the brief's defaults unless CROSSDOCK_SLAS overrides them. */
    slas: env.CROSSDOCK_SLAS,
  }));
export type ProcessesConfig = z.output<typeof ProcessesEnv>;

export const OdooEnv = z
  .object({
    ODOO_URL: optionalUrl(['http:', 'https:']),
    ODOO_DATABASE: text('crossdock'),
    ODOO_LOGIN: text('admin'),
    ODOO_API_KEY: optionalText(),
    ODOO_VERSION: z.preprocess(
      (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
      z.enum(['16', '17', '18', '19'], { error: 'must be 16, 17, 18 or 19 (or unset to detect it)' }).optional(),
    ),
    ODOO_POLL_OVERLAP_SECONDS: wholeNumber(60, 0, 3_600),
    ODOO_TIMEOUT_SECONDS: wholeNumber(30, 1, 600),
    ODOO_WEBHOOK_SECRET: optionalText().refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters (use a long random secret)'),
  })
  .transform((env) => ({
    /** Odoo's base URL; the local simulator's by default. */
    url: env.ODOO_URL ?? 'http://127.0.0.1:8069',
    database: env.ODOO_DATABASE,
    login: env.ODOO_LOGIN,
    /** The integration user's API key (a secret: only from the environment). Unset, the connector cannot log in. */
    apiKey: env.ODOO_API_KEY,
    /** The Odoo major version; unset, the connector asks Odoo (`common.version`). */
    version: env.ODOO_VERSION === undefined ? undefined : Number(env.ODOO_VERSION),
    /** How far each poll re-reads before its cursor, for transactions that commit late. */
    overlapSeconds: env.ODOO_POLL_OVERLAP_SECONDS,
    timeoutMs: env.ODOO_TIMEOUT_SECONDS * 1000,
    /** The secret in the URL of Odoo's automation-rule webhooks; unset, webhooks are not accepted (polling only). */
    webhookSecret: env.ODOO_WEBHOOK_SECRET,
  }));
export type OdooConfig = z.output<typeof OdooEnv>;

const sftpUrl = (fallback: string) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z
      .string()
      .default(fallback)
      .refine((value) => {
        try {
          const url = new URL(value);
          // Decoded below: a user name with a stray `%` (not %XX) must be refused here, not throw there.
          decodeURIComponent(url.username);
          return url.protocol === 'sftp:' && url.username !== '' && url.hostname !== '';
        } catch {
          return false;
        }
      }, 'must be sftp://user@host:port')
      .transform((value) => {
        const url = new URL(value);
        return { host: url.hostname, port: Number(url.port || 22), username: decodeURIComponent(url.username) };
      }),
  );

/** A Standard Webhooks secret: `whsec_` and at least 24 bytes of base64 (the spec's minimum). */
const webhookSecret = optionalText().refine(
  (v) => v === undefined || (/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v.slice(6), 'base64').length >= 24),
  'must be whsec_ followed by at least 24 bytes of base64',
);

export const WarehousesEnv = z
  .object({
    WMS_REST_URL: optionalUrl(['http:', 'https:']),
    WMS_REST_API_KEY: optionalText(),
    WMS_REST_TOKEN_URL: optionalUrl(['http:', 'https:']),
    WMS_REST_CLIENT_ID: optionalText(),
    WMS_REST_CLIENT_SECRET: optionalText(),
    WMS_REST_WEBHOOK_SECRET: webhookSecret,
    WMS_BATCH_SFTP_URL: sftpUrl('sftp://crossdock@127.0.0.1:9122'),
    WMS_BATCH_SFTP_PASSWORD: optionalText(),
    WMS_BATCH_CLIENT_CODE: z.preprocess(
      (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
      z.string().regex(/^[A-Z0-9]{2,12}$/, 'must be 2 to 12 upper-case letters or digits').default('CROSSDOCK'),
    ),
    EDI_3PL_SFTP_URL: sftpUrl('sftp://crossdock@127.0.0.1:9123'),
    EDI_3PL_SFTP_PASSWORD: optionalText(),
    EDI_3PL_OUR_ID: z.preprocess(
      (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
      z.string().regex(/^[A-Z0-9 ]{2,15}$/, 'must be 2 to 15 upper-case letters, digits or spaces (ISA06)').default('CROSSDOCK'),
    ),
    EDI_3PL_PARTNER_ID: z.preprocess(
      (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
      z.string().regex(/^[A-Z0-9 ]{2,15}$/, 'must be 2 to 15 upper-case letters, digits or spaces (ISA08)').default('EDI3PL'),
    ),
    EDI_3PL_USAGE: z.preprocess(
      (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
      z.enum(['P', 'T'], { error: 'must be P (production) or T (test)' }).default('P'),
    ),
    EDI_3PL_ACK_SLA_MINUTES: wholeNumber(60, 1, 10_080),
  })
  .superRefine((env, ctx) => {
    // OAuth2 needs both halves of the client credentials; one without the other is a typo, not a choice.
    for (const [name, other] of [['WMS_REST_CLIENT_ID', 'WMS_REST_CLIENT_SECRET'], ['WMS_REST_CLIENT_SECRET', 'WMS_REST_CLIENT_ID']] as const)
      if (env[name] !== undefined && env[other] === undefined) ctx.addIssue({ code: 'custom', path: [other], message: `must be set together with ${name}` });
  })
  .transform((env) => ({
    wmsRest: {
      /** The REST WMS; the local simulator's by default. */
      url: env.WMS_REST_URL ?? 'http://127.0.0.1:9101',
      apiKey: env.WMS_REST_API_KEY,
      /** Set when the WMS uses OAuth2 client credentials instead of an API key. */
      oauth2:
        env.WMS_REST_CLIENT_ID && env.WMS_REST_CLIENT_SECRET
          ? { tokenUrl: env.WMS_REST_TOKEN_URL ?? `${env.WMS_REST_URL ?? 'http://127.0.0.1:9101'}/oauth/token`, clientId: env.WMS_REST_CLIENT_ID, clientSecret: env.WMS_REST_CLIENT_SECRET }
          : undefined,
      webhookSecret: env.WMS_REST_WEBHOOK_SECRET,
    },
    wmsBatch: { sftp: { ...env.WMS_BATCH_SFTP_URL, password: env.WMS_BATCH_SFTP_PASSWORD }, clientCode: env.WMS_BATCH_CLIENT_CODE },
    edi3pl: {
      sftp: { ...env.EDI_3PL_SFTP_URL, password: env.EDI_3PL_SFTP_PASSWORD },
      ourId: env.EDI_3PL_OUR_ID,
      partnerId: env.EDI_3PL_PARTNER_ID,
      usage: env.EDI_3PL_USAGE,
      /** How long a 940 may wait for its 997, in ms. */
      ackSlaMs: env.EDI_3PL_ACK_SLA_MINUTES * 60_000,
    },
  }));
export type WarehousesConfig = z.output<typeof WarehousesEnv>;

function isCron(expression: string): boolean {
  try {
    new Cron(expression, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}
