import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOdooSimulator, type OdooSimulator } from '../../simulators/odoo';

const API_KEY = 'b7c1f0e2a9d84c6e8f31d2a4b5c6d7e8f9a0b1c2';
// Wire replies are arbitrary JSON; the assertions are the type check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
let sim: OdooSimulator;
let dir: string;

const rpc = async (path: string, params: unknown, init: { cookie?: string; id?: unknown } = {}) => {
  const res = await fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(init.cookie ? { cookie: init.cookie } : {}) },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params, id: init.id ?? 7 }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, Json> };
};
const jsonrpc = (service: string, method: string, args: unknown[]) => rpc('/jsonrpc', { service, method, args });
const executeKw = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}, secret = API_KEY) =>
  jsonrpc('object', 'execute_kw', ['crossdock', 2, secret, model, method, args, kwargs]);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'odoo-sim-'));
  sim = await startOdooSimulator({ dataDir: dir, port: 0, apiKey: API_KEY });
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Odoo simulator over JSON-RPC (/jsonrpc)', () => {
  it('answers common.version with Odoo 17 version info, echoing the request id', async () => {
    const { status, headers, body } = await rpc('/jsonrpc', { service: 'common', method: 'version', args: [] }, { id: 'abc' });
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(body).toEqual({
      jsonrpc: '2.0',
      id: 'abc',
      result: { server_version: '17.0', server_version_info: [17, 0, 0, 'final', 0, ''], server_serie: '17.0', protocol_version: 1 },
    });
  });

  it('logs in with the password or the API key, and answers false (not an error) to bad credentials', async () => {
    expect((await jsonrpc('common', 'login', ['crossdock', 'admin', 'admin'])).body.result).toBe(2);
    expect((await jsonrpc('common', 'authenticate', ['crossdock', 'admin', API_KEY, {}])).body.result).toBe(2);
    const bad = await jsonrpc('common', 'login', ['crossdock', 'admin', 'wrong']);
    expect(bad.body).toEqual({ jsonrpc: '2.0', id: 7, result: false });
  });

  it('lists the database', async () => {
    expect((await jsonrpc('db', 'list', [])).body.result).toEqual(['crossdock']);
  });

  it('refuses execute_kw with bad credentials with the exact AccessDenied envelope', async () => {
    const { status, body } = await executeKw('sale.order', 'search', [[]], {}, 'not-the-key');
    expect(status).toBe(200);
    expect(body.id).toBe(7);
    expect(body.result).toBeUndefined();
    expect(body.error.code).toBe(200);
    expect(body.error.message).toBe('Odoo Server Error');
    expect(body.error.data).toMatchObject({ name: 'odoo.exceptions.AccessDenied', message: 'Access Denied', arguments: ['Access Denied'], context: {} });
    expect(body.error.data.debug).toMatch(/^Traceback \(most recent call last\):/);
  });

  it('reads with Odoo field shapes: many2one pairs, false for empty, UTC datetimes without microseconds', async () => {
    const [partner] = (await executeKw('res.partner', 'search_read', [[['name', '=', 'Acme Hardware']]], { fields: ['id'] })).body.result;
    const [product] = (await executeKw('product.product', 'search_read', [[['default_code', '=', 'ACM-1001']]], { fields: ['display_name', 'uom_id', 'barcode'] })).body.result;
    expect(product.display_name).toBe('[ACM-1001] Claw Hammer 16oz');
    expect(product.uom_id).toEqual([expect.any(Number), 'Units']);
    const created = await executeKw('sale.order', 'create', [{ partner_id: partner.id, order_line: [[0, 0, { product_id: product.id, product_uom_qty: 2 }]] }]);
    const id = created.body.result as number;
    const [order] = (await executeKw('sale.order', 'read', [[id], ['name', 'state', 'partner_id', 'commitment_date', 'write_date', 'order_line']])).body.result;
    expect(order.name).toMatch(/^S\d{5}$/);
    expect(order.state).toBe('draft');
    expect(order.partner_id).toEqual([partner.id, 'Acme Hardware']);
    expect(order.commitment_date).toBe(false);
    expect(order.write_date).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(order.order_line).toHaveLength(1);
    const bare = (await executeKw('sale.order', 'read', [[id], ['partner_id']], { load: '_classic_write' })).body.result;
    expect(bare[0].partner_id).toBe(partner.id);
  });

  it('drops missing ids on read but raises MissingError on write', async () => {
    expect((await executeKw('sale.order', 'read', [[999_999], ['name']])).body.result).toEqual([]);
    const { body } = await executeKw('sale.order', 'write', [[999_999], { client_order_ref: 'x' }]);
    expect(body.error.data.name).toBe('odoo.exceptions.MissingError');
    expect(body.error.data.message).toBe(
      'One of the documents you are trying to access has been deleted, please try again after refreshing.\n\n(Document type: sale.order, Operation: write, Records: [999999], User: 2)',
    );
  });

  it("names unknown models, private methods, missing methods and fields as Odoo does", async () => {
    expect((await executeKw('no.such', 'search', [[]])).body.error.data).toMatchObject({ name: 'odoo.exceptions.UserError', message: "Object no.such doesn't exist" });
    expect((await executeKw('sale.order', '_action_confirm', [[1]])).body.error.data).toMatchObject({
      name: 'odoo.exceptions.AccessError',
      message: 'Private methods (such as _action_confirm) cannot be called remotely.',
    });
    expect((await executeKw('sale.order', 'fly', [[1]])).body.error.data).toMatchObject({
      name: 'builtins.AttributeError',
      message: "The method 'fly' does not exist on the model 'sale.order'",
    });
    expect((await executeKw('sale.order', 'search_read', [[['nope', '=', 1]]])).body.error.data).toMatchObject({
      name: 'builtins.ValueError',
      message: "Invalid field sale.order.nope in leaf ('nope', '=', 1)",
    });
  });

  it('answers name_search with [id, display name] pairs, products matched by internal reference', async () => {
    const { body } = await executeKw('product.product', 'name_search', [], { name: 'ACM-200', limit: 5 });
    expect(body.result).toEqual([
      [expect.any(Number), '[ACM-2001] Portland Cement 25 kg'],
      [expect.any(Number), '[ACM-2002] Grass Seed'],
    ]);
  });

  it('leaves out result when the method returns None (action_lock)', async () => {
    const [id] = (await executeKw('sale.order', 'search', [[]], { limit: 1 })).body.result;
    const { body } = await executeKw('sale.order', 'action_lock', [[id]]);
    expect(body).toEqual({ jsonrpc: '2.0', id: 7 });
    expect(Object.keys(body)).not.toContain('result');
  });

  it('answers 400 to invalid JSON, and a code 404 envelope on unknown JSON routes', async () => {
    const res = await fetch(`${sim.url}/jsonrpc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('Invalid JSON data');
    const { body } = await rpc('/web/nothing/here', {});
    expect(body.error).toMatchObject({ code: 404, message: '404: Not Found', data: { name: 'werkzeug.exceptions.NotFound' } });
  });
});

describe('Odoo simulator web session (/web/session/authenticate + /web/dataset/call_kw)', () => {
  it('authenticates with the password only, sets session_id, and serves call_kw with the cookie', async () => {
    const version = await rpc('/web/webclient/version_info', {});
    expect(version.body.result.server_version).toBe('17.0');
    const withKey = await rpc('/web/session/authenticate', { db: 'crossdock', login: 'admin', password: API_KEY });
    expect(withKey.body.error.data.name).toBe('odoo.exceptions.AccessDenied');
    const login = await rpc('/web/session/authenticate', { db: 'crossdock', login: 'admin', password: 'admin' });
    expect(login.body.result).toMatchObject({ uid: 2, db: 'crossdock', username: 'admin', user_context: { lang: 'en_US', uid: 2 } });
    expect(login.body.result).not.toHaveProperty('session_id');
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^session_id=[0-9a-f]+; .*HttpOnly/);
    const sessionId = cookie.split(';')[0];
    const call = await rpc('/web/dataset/call_kw/res.partner/search_count', { model: 'res.partner', method: 'search_count', args: [[['is_company', '=', true]]], kwargs: {} }, { cookie: sessionId });
    expect(call.body.result).toBe(8);
    const destroyed = await rpc('/web/session/destroy', {}, { cookie: sessionId });
    expect(destroyed.body).toEqual({ jsonrpc: '2.0', id: 7 });
  });

  it('answers code 100 SessionExpired to call_kw without a session', async () => {
    const { body } = await rpc('/web/dataset/call_kw', { model: 'res.partner', method: 'search', args: [[]], kwargs: {} });
    expect(body.error).toMatchObject({
      code: 100,
      message: 'Odoo Session Expired',
      data: { name: 'odoo.http.SessionExpiredException', message: 'Session expired' },
    });
  });
});
