import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load';
import { problemsOf } from '../../../test/support/config-problems';

// Alert email and acknowledgement-link settings (the rest of loadConfig is in load.test.ts).


describe('smtp configuration', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

  it('sends nothing by default, from the documented sender, trusting only the public CAs', () => {
    expect(loadConfig({}).smtp).toEqual({ url: undefined, from: 'Crossdock alerts <alerts@crossdock.localhost>', tlsCa: undefined });
  });

  it('reads the sender and the private CA file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossdock-smtp-ca-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), pem);
      const smtp = loadConfig({ SMTP_URL: 'smtp://alerts:secret@mail.internal:587', SMTP_FROM: 'ops-alerts@example.com', SMTP_TLS_CA_FILE: join(dir, 'ca.pem') }).smtp;
      expect(smtp).toEqual({ url: 'smtp://alerts:secret@mail.internal:587', from: 'ops-alerts@example.com', tlsCa: pem });
      expect(loadConfig({ SMTP_FROM: 'Lager Nord <alerts@lager-nord.example>' }).smtp.from).toBe('Lager Nord <alerts@lager-nord.example>');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a sender that is not an address, and a CA file that is missing or not PEM', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossdock-smtp-ca-'));
    try {
      writeFileSync(join(dir, 'key.pem'), '-----BEGIN PRIVATE KEY-----\n');
      const reason = 'must be an address such as "Crossdock alerts <alerts@example.com>" or "alerts@example.com"';
      expect(problemsOf({ SMTP_FROM: 'Crossdock alerts' })).toEqual([{ variable: 'SMTP_FROM', reason }]);
      expect(problemsOf({ SMTP_FROM: 'Alerts <alerts@example.com> <other@example.com>' })).toEqual([{ variable: 'SMTP_FROM', reason }]);
      expect(problemsOf({ SMTP_TLS_CA_FILE: join(dir, 'missing.pem') })).toEqual([
        { variable: 'SMTP_TLS_CA_FILE', reason: expect.stringMatching(/^cannot be read: ENOENT/) },
      ]);
      expect(problemsOf({ SMTP_TLS_CA_FILE: join(dir, 'key.pem') })).toEqual([
        { variable: 'SMTP_TLS_CA_FILE', reason: 'must be a PEM file holding at least one certificate (-----BEGIN CERTIFICATE-----)' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('alert link secret', () => {
  it('is unset by default and read when it is long enough', () => {
    expect(loadConfig({}).console.alertLinkSecret).toBeUndefined();
    expect(loadConfig({ CROSSDOCK_ALERT_LINK_SECRET: '   ' }).console.alertLinkSecret).toBeUndefined();
    const secret = 'k'.repeat(32);
    expect(loadConfig({ CROSSDOCK_ALERT_LINK_SECRET: secret }).console.alertLinkSecret).toBe(secret);
  });

  it('refuses a secret shorter than 32 characters, naming the variable', () => {
    expect(problemsOf({ CROSSDOCK_ALERT_LINK_SECRET: 'k'.repeat(31) })).toEqual([
      { variable: 'CROSSDOCK_ALERT_LINK_SECRET', reason: 'must be at least 32 characters (use a long random secret, e.g. openssl rand -base64 48)' },
    ]);
  });
});
