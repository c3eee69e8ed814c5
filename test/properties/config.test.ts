import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ConfigError, loadConfig, type Config } from '../../src/lib/config';
import * as areas from '../../src/lib/config/areas';

/**
 * Property-based tests (fast-check) of `loadConfig`: whatever the environment holds, it returns a
 * configuration or throws a ConfigError whose message names every variable at fault, never
 * another exception, and never repeats what a secret variable holds.
 */

const RUNS = { numRuns: 300 };

/** Every variable some area reads, with its own schema: the fields of each area's object schema (so new ones are covered too). */
const fields = new Map(Object.values(areas).flatMap((schema) => Object.entries((schema as unknown as { in?: { shape?: Record<string, z.ZodType> } }).in?.shape ?? {})));
const variables = [...fields.keys()];
/** Variables that hold a credential, and those holding a URL, which can carry one (SMTP_URL does: docs/security.md). */
const secrets = variables.filter((v) => /PASSWORD|SECRET|TOKEN|API_KEY/.test(v));
const urls = variables.filter((v) => /_URL$|_ENDPOINT$/.test(v));
/** Cross-variable rules: setting one alone is a problem of the other. */
const partners: Record<string, string[]> = { WMS_REST_CLIENT_ID: ['WMS_REST_CLIENT_SECRET'], WMS_REST_CLIENT_SECRET: ['WMS_REST_CLIENT_ID'] };

/** `loadConfig`, with a ConfigError returned for inspection; any other exception fails the property. */
function load(env: Record<string, string>): { config: Config } | { error: ConfigError } {
  try {
    return { config: loadConfig(env) };
  } catch (error) {
    if (error instanceof ConfigError) return { error };
    throw error;
  }
}

/** The variables a ConfigError names, after checking each is a known variable with its line in the message. */
function named(error: ConfigError): Set<string> {
  expect(error.problems.length).toBeGreaterThan(0);
  for (const { variable, reason } of error.problems) {
    expect(variables).toContain(variable);
    expect(error.message).toContain(`\n  ${variable}: ${reason}`);
  }
  return new Set(error.problems.map((p) => p.variable));
}

// What people put in environment variables, typos included: any text, numbers, switches, URLs, JSON, cron.
const scheme = fc.constantFrom('http', 'https', 'sftp', 'smtp', 'smtps', 'nats', 'tls', 'postgres', 'ftp', '');
// User names and passwords as typed, percent signs included (`%` must be written %25 in a URL).
const userinfo = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('', 'crossdock', '%', 'ops%1', 'p%40ss', 'ü'));
const urlOf = (schemes: fc.Arbitrary<string>) => fc
  .tuple(schemes, userinfo, fc.option(userinfo, { nil: undefined }), fc.constantFrom('localhost', '127.0.0.1', 'example.com', '[::1]', '', 'ex ample'), fc.option(fc.integer({ min: -1, max: 70_000 }), { nil: undefined }), fc.string({ maxLength: 8 }))
  .map(([s, user, password, host, port, path]) => `${s}://${user}${password === undefined ? '' : `:${password}`}${user || password ? '@' : ''}${host}${port === undefined ? '' : `:${port}`}/${path}`);
const value = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.oneof(fc.integer(), fc.double(), fc.integer({ min: -2, max: 70_000 })).map((n) => String(n)),
  fc.constantFrom('', ' ', '0', '1', '-1', '1e3', '0x10', 'Infinity', 'NaN', 'true', 'FALSE', ' yes ', 'off', 'maybe', 'P', 'T', '17', '19', '*/5 * * * *', '61 * * * *', '@daily', 'CROSSDOCK', 'a b', 'whsec_', '/etc', '.'),
  urlOf(scheme),
  fc.json({ maxDepth: 3 }),
  fc.base64String({ maxLength: 48 }).map((b) => `whsec_${b}`),
);

/** A value for `variable`: any of the above, or for a URL variable often a URL of the scheme its name suggests. */
function valueFor(variable: string): fc.Arbitrary<string> {
  if (!/_URL$|_ENDPOINT$/.test(variable)) return value;
  const likely = /SFTP/.test(variable) ? 'sftp' : /SMTP/.test(variable) ? 'smtp' : /NATS/.test(variable) ? 'nats' : 'https';
  return fc.oneof(value, urlOf(fc.oneof(fc.constant(likely), scheme)));
}

describe('loadConfig with any environment', () => {
  it('has found the variables of every area', () => {
    expect(variables).toEqual(expect.arrayContaining(['CROSSDOCK_DATA_DIR', 'CLICKHOUSE_URL', 'CROSSDOCK_CONSOLE_PORT', 'CROSSDOCK_ADMIN_TOKEN', 'SMTP_URL', 'OPENAI_API_KEY', 'CROSSDOCK_SLAS', 'ODOO_API_KEY', 'WMS_BATCH_SFTP_URL', 'EDI_3PL_USAGE']));
    expect(urls).toEqual(expect.arrayContaining(['SMTP_URL', 'CLICKHOUSE_URL', 'ODOO_URL', 'WMS_BATCH_SFTP_URL', 'OTEL_EXPORTER_OTLP_ENDPOINT']));
    expect(secrets).toEqual(expect.arrayContaining(['CLICKHOUSE_PASSWORD', 'CROSSDOCK_ALERT_LINK_SECRET', 'CROSSDOCK_ADMIN_TOKEN', 'OPENAI_API_KEY', 'ODOO_API_KEY', 'ODOO_WEBHOOK_SECRET', 'WMS_REST_API_KEY', 'WMS_REST_CLIENT_SECRET', 'WMS_REST_WEBHOOK_SECRET', 'WMS_BATCH_SFTP_PASSWORD', 'EDI_3PL_SFTP_PASSWORD']));
  });

  it('answers any value of any one variable with a configuration or a ConfigError naming that variable', () => {
    fc.assert(
      fc.property(fc.constantFrom(...variables).chain((v) => fc.tuple(fc.constant(v), valueFor(v))), ([variable, text]) => {
        const result = load({ [variable]: text });
        if ('error' in result) for (const v of named(result.error)) expect([variable, ...(partners[variable] ?? [])]).toContain(v);
      }),
      { numRuns: 2_000 },
    );
  });

  it('names, in an environment of many values, every variable whose own value is refused (all in one go)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...variables), { minLength: 1, maxLength: 12 }).chain((vs) => fc.tuple(...vs.map((v) => valueFor(v).map((t) => [v, t] as const)))), (pairs) => {
        const env = Object.fromEntries(pairs);
        const result = load(env);
        // Rules across variables (one needs another) are left out: they apply once each value is valid.
        const refused = Object.entries(env).filter(([v, text]) => !fields.get(v)!.safeParse(text).success);
        if (refused.length === 0) return;
        expect('error' in result).toBe(true);
        const inError = 'error' in result ? named(result.error) : new Set<string>();
        for (const [v] of refused) expect(inError).toContain(v);
      }),
      RUNS,
    );
  });

  it('never repeats a secret, or the password in a URL, in the error, whatever else is wrong', () => {
    // A marker no message holds, so that finding the secret in a message means it was echoed.
    const secret = fc.tuple(fc.constantFrom('', 'whsec_', 'whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldY'), fc.oneof(fc.string({ maxLength: 24 }), fc.base64String({ maxLength: 40 }))).map(([prefix, s]) => `${prefix}Qz7${s}`);
    // [variable, its value, the secret in it]
    const given = fc.oneof(
      fc.tuple(fc.constantFrom(...secrets), secret).map(([v, s]) => [v, s, s] as const),
      fc.tuple(fc.constantFrom(...urls), scheme, secret, fc.constantFrom('mail.example.com:25', '127.0.0.1', '', 'ex ample', 'h:99999')).map(([v, sc, s, host]) => [v, `${sc}://crossdock:${s}@${host}/`, s] as const),
    );
    fc.assert(
      fc.property(fc.uniqueArray(given, { minLength: 1, maxLength: 4, selector: ([v]) => v }), fc.dictionary(fc.constantFrom(...variables), value, { maxKeys: 4 }), (withSecrets, others) => {
        const result = load({ ...others, ...Object.fromEntries(withSecrets.map(([v, text]) => [v, text])) });
        if ('config' in result) return;
        named(result.error);
        for (const [, , s] of withSecrets) expect(result.error.message).not.toContain(s);
      }),
      RUNS,
    );
  });
});

describe('loadConfig round trips', () => {
  const hours = 3_600_000;
  // [variable, lowest, highest, where the value lands in the configuration]
  const numbers: [string, number, number, (c: Config) => number][] = [
    ['CROSSDOCK_CONSOLE_PORT', 1, 65_535, (c) => c.console.port],
    ['CROSSDOCK_COLLECTOR_PORT', 1, 65_535, (c) => c.console.collectorPort],
    ['CROSSDOCK_ADMIN_PORT', 1, 65_535, (c) => c.runtime.adminPort],
    ['CROSSDOCK_WEBHOOK_PORT', 1, 65_535, (c) => c.runtime.webhookPort],
    ['CROSSDOCK_SESSION_HOURS', 1, 720, (c) => c.console.sessionTtlMs / hours],
    ['CROSSDOCK_EXCEPTION_INTAKE_MS', 0, 3_600_000, (c) => c.console.exceptionIntakeMs],
    ['CROSSDOCK_PROPOSAL_TTL_HOURS', 1, 720, (c) => c.console.proposalTtlMs / hours],
    ['CROSSDOCK_ALERT_EVAL_MS', 0, 3_600_000, (c) => c.console.alertEvaluationMs],
    ['CROSSDOCK_IDEMPOTENCY_WINDOW_HOURS', 1, 8_760, (c) => c.runtime.idempotencyWindowMs / hours],
    ['CROSSDOCK_ODOO_POLL_MS', 50, 3_600_000, (c) => c.runtime.odooPollMs],
    ['CROSSDOCK_LLM_TIMEOUT_MS', 100, 600_000, (c) => c.llm.timeoutMs],
    ['CROSSDOCK_TRACE_TTL_DAYS', 0, 3_650, (c) => c.telemetry.retentionDays],
    ['CROSSDOCK_COLLECTOR_MAX_BODY_MB', 1, 512, (c) => c.telemetry.maxBodyBytes / 1024 / 1024],
    ['CROSSDOCK_COLLECTOR_BUFFER_SPANS', 1_000, 5_000_000, (c) => c.telemetry.bufferSpans],
    ['ODOO_POLL_OVERLAP_SECONDS', 0, 3_600, (c) => c.odoo.overlapSeconds],
    ['ODOO_TIMEOUT_SECONDS', 1, 600, (c) => c.odoo.timeoutMs / 1000],
    ['EDI_3PL_ACK_SLA_MINUTES', 1, 10_080, (c) => c.warehouses.edi3pl.ackSlaMs / 60_000],
  ];
  const padding = fc.constantFrom('', ' ', '\t');

  it('accepts every whole number within bounds (ports 1 to 65535, 0 where it turns something off), spaces around it or not', () => {
    fc.assert(
      fc.property(fc.constantFrom(...numbers).chain(([v, lo, hi, read]) => fc.tuple(fc.constant(v), fc.integer({ min: lo, max: hi }), fc.constant(read))), padding, ([variable, n, read], pad) => {
        const result = load({ [variable]: `${pad}${n}${pad}` });
        expect('config' in result && read(result.config)).toBe(n);
      }),
      RUNS,
    );
  });

  it('refuses a number out of bounds or not whole, naming the variable and the bounds', () => {
    const wrong = fc.constantFrom(...numbers).chain(([v, lo, hi]) =>
      fc.tuple(fc.constant(v), fc.oneof(fc.integer({ min: -1_000_000, max: lo - 1 }), fc.integer({ min: hi + 1, max: hi + 1_000_000 }), fc.integer({ min: lo, max: hi - 1 }).map((n) => n + 0.5)), fc.constant([lo, hi])),
    );
    fc.assert(
      fc.property(wrong, ([variable, n, [lo, hi]]) => {
        const result = load({ [variable]: String(n) });
        expect('error' in result && result.error.problems).toEqual([{ variable, reason: Number.isInteger(n) ? `must be between ${lo} and ${hi}` : 'must be a whole number' }]);
      }),
      RUNS,
    );
    expect(load({ CROSSDOCK_CONSOLE_PORT: '0' })).toEqual({ error: expect.objectContaining({ problems: [{ variable: 'CROSSDOCK_CONSOLE_PORT', reason: 'must be between 1 and 65535' }] }) });
  });

  it('reads a yes/no switch in any spelling and case, and refuses anything else', () => {
    fc.assert(
      fc.property(fc.constantFrom('true', '1', 'yes', 'on', 'false', '0', 'no', 'off'), fc.func(fc.boolean()), padding, (word, upper, pad) => {
        const spelled = [...word].map((c, i) => (upper(i) ? c.toUpperCase() : c)).join('');
        const result = load({ CROSSDOCK_DEMO: `${pad}${spelled}${pad}` });
        expect('config' in result && result.config.console.demo).toBe(['true', '1', 'yes', 'on'].includes(word));
      }),
      RUNS,
    );
    expect(load({ CROSSDOCK_DEMO: 'maybe' })).toEqual({ error: expect.objectContaining({ problems: [{ variable: 'CROSSDOCK_DEMO', reason: 'must be true or false' }] }) });
  });

  it('reads any SFTP user name back from its percent-encoded URL, and refuses one that cannot be decoded', () => {
    const host = fc.constantFrom('127.0.0.1', 'sftp.example.com', 'wms-1');
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), host, fc.integer({ min: 1, max: 65_535 }), (user, h, port) => {
        const result = load({ WMS_BATCH_SFTP_URL: `sftp://${encodeURIComponent(user)}@${h}:${port}` });
        expect('config' in result && result.config.warehouses.wmsBatch.sftp).toEqual({ host: h, port, username: user, password: undefined });
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.constantFrom('%', '%g1', '%E0%A4%A', '%ff'), (user, stray) => {
        const result = load({ EDI_3PL_SFTP_URL: `sftp://${user}${stray}@127.0.0.1:22` });
        if ('error' in result) expect([...named(result.error)]).toEqual(['EDI_3PL_SFTP_URL']);
      }),
      RUNS,
    );
    expect('error' in load({ EDI_3PL_SFTP_URL: 'sftp://100%crossdock@127.0.0.1' })).toBe(true);
  });
});
