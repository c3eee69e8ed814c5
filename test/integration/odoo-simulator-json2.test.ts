import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOdooSimulator, type OdooSimulator } from '../../simulators/odoo';

const API_KEY = '9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c';
let sim: OdooSimulator;
let dir: string;

const post = (path: string, body: unknown, headers: Record<string, string> = { authorization: `bearer ${API_KEY}` }) =>
  fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'odoo-json2-'));
  sim = await startOdooSimulator({ dataDir: dir, port: 0, apiKey: API_KEY, version: 19 });
  await fetch(`${sim.url}/_sim/orders`, { method: 'POST', body: JSON.stringify({ count: 2 }) });
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Odoo 19 JSON-2 (/json/2/<model>/<method>)', () => {
  it('returns the bare result of search_read, keywords taken from the body', async () => {
    const res = await post('/json/2/sale.order/search_read', { domain: [['state', '=', 'sale']], fields: ['name', 'partner_id'], limit: 5, context: { lang: 'en_US' } });
    expect(res.status).toBe(200);
    const rows = (await res.json()) as { id: number; name: string; partner_id: [number, string] }[];
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({ id: expect.any(Number), name: expect.stringMatching(/^S\d{5}$/), partner_id: [expect.any(Number), expect.any(String)] });
  });

  it('calls record methods with ids and uses 19 field names (product_uom_id on order lines)', async () => {
    const lines = (await (await post('/json/2/sale.order.line/search_read', { domain: [], fields: ['product_uom_id'], limit: 1 })).json()) as { product_uom_id: unknown }[];
    expect(lines[0].product_uom_id).toEqual([expect.any(Number), expect.any(String)]);
    const old = await post('/json/2/sale.order.line/search_read', { domain: [], fields: ['product_uom'] });
    expect(old.status).toBe(500);
    expect(((await old.json()) as { name: string }).name).toBe('builtins.ValueError');
  });

  it('maps exceptions to HTTP statuses with serialize_exception bodies', async () => {
    const user = await post('/json/2/sale.order/action_confirm', { ids: [1] });
    expect(user.status).toBe(422);
    expect(await user.json()).toMatchObject({ name: 'odoo.exceptions.UserError', message: 'Some orders are not in a state requiring confirmation.', context: {} });
    const missing = await post('/json/2/sale.order/write', { ids: [999999], vals: { note: 'x' } });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { name: string }).name).toBe('odoo.exceptions.MissingError');
    const badArgs = await post('/json/2/sale.order/search', { domain: [], bogus: 1 });
    expect(badArgs.status).toBe(422);
  });

  it('answers 401 with WWW-Authenticate to a bad key, and 404 to other verbs and paths', async () => {
    const denied = await post('/json/2/sale.order/search', { domain: [] }, { authorization: 'bearer wrong' });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBe('bearer');
    expect(((await denied.json()) as { message: string }).message).toBe('401 Unauthorized: Invalid apikey');
    const get = await fetch(`${sim.url}/json/2/sale.order/search`);
    expect(get.status).toBe(404);
    expect(await get.text()).toBe('Did you mean POST /json/2/<model>/<method>?');
    expect(await (await fetch(`${sim.url}/web/version`)).json()).toEqual({ version_info: [19, 0, 0, 'final', 0, ''], version: '19.0' });
  });

  it('sends JSON-RPC errors with code 0 in 19', async () => {
    const res = await fetch(`${sim.url}/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, params: { service: 'object', method: 'execute_kw', args: ['crossdock', 2, 'bad', 'sale.order', 'search', [[]]] } }),
    });
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(0);
  });
});

describe('JSON-2 on an Odoo 17 simulator', () => {
  it('does not exist (404), as in real 17', async () => {
    const dir17 = mkdtempSync(join(tmpdir(), 'odoo-17-'));
    const sim17 = await startOdooSimulator({ dataDir: dir17, port: 0, apiKey: API_KEY });
    try {
      const res = await fetch(`${sim17.url}/json/2/sale.order/search`, { method: 'POST', headers: { authorization: `bearer ${API_KEY}` }, body: '{}' });
      expect(res.status).toBe(404);
    } finally {
      await sim17.close();
      rmSync(dir17, { recursive: true, force: true });
    }
  });
});
