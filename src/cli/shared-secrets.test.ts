import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../lib/config';
import { ensureSharedSecrets } from './shared-secrets';

describe('the secrets crossdock start shares with its children', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'data', 'demo-secrets.json');

  it('makes the missing ones in formats the configuration accepts, keeps them owner-only, and reuses them next time', () => {
    const first: NodeJS.ProcessEnv = { WMS_REST_API_KEY: 'chosen-by-the-operator' };
    expect(ensureSharedSecrets(first, file)).toEqual({
      generated: ['ODOO_API_KEY', 'WMS_REST_WEBHOOK_SECRET', 'WMS_BATCH_SFTP_PASSWORD', 'EDI_3PL_SFTP_PASSWORD', 'CROSSDOCK_ALERT_LINK_SECRET'],
      resumed: [],
    });
    expect(first.WMS_REST_API_KEY).toBe('chosen-by-the-operator');
    expect(first.WMS_REST_WEBHOOK_SECRET).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    // The config schema is the judge of format: a bad secret would stop the runtime at start.
    const config = loadConfig(first);
    expect(config.warehouses.wmsRest.webhookSecret).toBe(first.WMS_REST_WEBHOOK_SECRET);
    expect(config.odoo.apiKey).toBe(first.ODOO_API_KEY);
    expect(config.console.alertLinkSecret).toBe(first.CROSSDOCK_ALERT_LINK_SECRET);

    expect(statSync(file).mode & 0o777).toBe(0o600);
    const kept = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(kept).not.toHaveProperty('WMS_REST_API_KEY');

    const second: NodeJS.ProcessEnv = {};
    const again = ensureSharedSecrets(second, file);
    expect(again.resumed).toEqual(['ODOO_API_KEY', 'WMS_REST_WEBHOOK_SECRET', 'WMS_BATCH_SFTP_PASSWORD', 'EDI_3PL_SFTP_PASSWORD', 'CROSSDOCK_ALERT_LINK_SECRET']);
    expect(again.generated).toEqual(['WMS_REST_API_KEY']);
    for (const name of again.resumed) expect(second[name]).toBe(first[name]);
  });
});
