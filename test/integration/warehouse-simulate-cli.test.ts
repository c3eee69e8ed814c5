import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runCli, startCli } from '../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'warehouse-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('crossdock simulate wms-rest', () => {
  it('serves the REST WMS with the key from WMS_REST_API_KEY and keeps its state under the data directory', async () => {
    const port = await freePort();
    const cli = startCli(['simulate', 'wms-rest', '--port', String(port)], { CROSSDOCK_DATA_DIR: dir, WMS_REST_API_KEY: 'cli-wms-key-42' });
    try {
      for (let i = 0; i < 300 && cli.child.exitCode === null && !cli.output.stdout.includes('webhook secret'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(cli.output.stdout).toContain(`wms-rest  http://127.0.0.1:${port}  API key cli-wms-key-42 (from WMS_REST_API_KEY)`);
      const refused = await fetch(`http://127.0.0.1:${port}/v1/inventory?limit=10`, { headers: { authorization: 'ApiKey wrong' } });
      expect(refused.status).toBe(401);
      const res = await fetch(`http://127.0.0.1:${port}/v1/inventory?limit=50`, { headers: { authorization: 'ApiKey cli-wms-key-42' } });
      const body = (await res.json()) as { data: { sku: string }[] };
      // The Chicago warehouse's opening stock: Odoo's catalogue, in this WMS's codes (the same ACM-* ones).
      expect(body.data.map((i) => i.sku)).toEqual(expect.arrayContaining(['ACM-1001', 'ACM-4002']));
      expect(cli.output.stdout).toContain('webhooks to http://127.0.0.1:8091/webhooks/wms-rest');
    } finally {
      expect(await cli.stop()).toBe(0);
    }
    expect(existsSync(join(dir, 'simulators', 'wms-rest', 'state.json'))).toBe(true);
  });

  it('lists the warehouse simulators in its help', async () => {
    const help = await runCli(['simulate', '--help']);
    for (const name of ['wms-rest', 'wms-batch', 'edi-3pl']) expect(help.stdout).toContain(name);
  });
});
