import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runCli, startCli } from '../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'odoo-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function untilListening(output: { stdout: string }, exited: Promise<unknown>) {
  let done = false;
  void exited.then(() => (done = true));
  for (let i = 0; i < 300 && !done && !output.stdout.includes('API key'); i++) await new Promise((r) => setTimeout(r, 100));
}

describe('crossdock simulate odoo', () => {
  it('serves Odoo on the given port until SIGTERM, with the API key from ODOO_API_KEY', async () => {
    const port = await freePort();
    const cli = startCli(['simulate', 'odoo', '--port', String(port), '--orders-per-hour', '0'], { CROSSDOCK_DATA_DIR: dir, ODOO_API_KEY: 'cli-test-key-0123456789' });
    try {
      await untilListening(cli.output, cli.exited);
      expect(cli.output.stdout).toContain(`odoo      http://127.0.0.1:${port}  Odoo 17.0, database crossdock`);
      const res = await fetch(`http://127.0.0.1:${port}/jsonrpc`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, params: { service: 'common', method: 'login', args: ['crossdock', 'admin', 'cli-test-key-0123456789'] } }),
      });
      expect(await res.json()).toEqual({ jsonrpc: '2.0', id: 1, result: 2 });
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });

  it('exits 2 naming the simulators for an unknown one, and for --port without a name', async () => {
    const unknown = await runCli(['simulate', 'sap'], { CROSSDOCK_DATA_DIR: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown simulator "sap" (expected odoo');
    const portless = await runCli(['simulate', '--port', '9000'], { CROSSDOCK_DATA_DIR: dir });
    expect(portless.code).toBe(2);
    expect(portless.stderr).toContain('--port needs a simulator name');
    const help = await runCli(['simulate', '--help']);
    expect(help.stdout).toContain('Usage: crossdock simulate [simulator] [options]');
  });
});
