import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOdooSimulator, type OdooSimulator } from '../../simulators/odoo';

const run = promisify(execFile);
const API_KEY = '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c';
let sim: OdooSimulator;
let dir: string;

/**
 * A client we did not write: Python's standard-library `xmlrpc.client` (and `urllib` for
 * JSON-RPC), used exactly as Odoo's external API documentation shows.
 */
const python = async (script: string) => {
  const { stdout } = await run('python3', ['-c', script, sim.url, API_KEY], { timeout: 30_000 });
  return JSON.parse(stdout);
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'odoo-interop-'));
  sim = await startOdooSimulator({ dataDir: dir, port: 0, apiKey: API_KEY });
  await fetch(`${sim.url}/_sim/orders`, { method: 'POST', body: JSON.stringify({ count: 3 }) });
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Python xmlrpc.client against the Odoo simulator', () => {
  it('logs in and search_reads released sale orders over XML-RPC, with a password and with an API key', async () => {
    const result = await python(`
import json, sys, xmlrpc.client
url, key = sys.argv[1], sys.argv[2]
common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
version = common.version()
uid = common.authenticate("crossdock", "admin", "admin", {})
uid_key = common.login("crossdock", "admin", key)
bad = common.login("crossdock", "admin", "nope")
models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")
orders = models.execute_kw("crossdock", uid, key, "sale.order", "search_read",
    [[["state", "=", "sale"]]], {"fields": ["name", "state", "partner_id", "order_line", "write_date"], "order": "write_date asc, id asc"})
count = models.execute_kw("crossdock", uid, "admin", "sale.order", "search_count", [[["state", "=", "sale"]]])
print(json.dumps({"version": version, "uid": uid, "uid_key": uid_key, "bad": bad, "orders": orders, "count": count}))
`);
    expect(result.version.server_version).toBe('17.0');
    expect(result.uid).toBe(2);
    expect(result.uid_key).toBe(2);
    expect(result.bad).toBe(false);
    expect(result.count).toBe(3);
    expect(result.orders).toHaveLength(3);
    for (const order of result.orders) {
      expect(order.name).toMatch(/^S\d{5}$/);
      expect(order.state).toBe('sale');
      expect(order.partner_id).toEqual([expect.any(Number), expect.any(String)]);
      expect(order.order_line.length).toBeGreaterThan(0);
    }
  });

  it('raises xmlrpc.client.Fault with Odoo integer fault codes', async () => {
    const result = await python(`
import json, sys, xmlrpc.client
url, key = sys.argv[1], sys.argv[2]
models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")
faults = {}
def fault(name, call):
    try:
        call()
        faults[name] = None
    except xmlrpc.client.Fault as f:
        faults[name] = [f.faultCode, f.faultString]
fault("denied", lambda: models.execute_kw("crossdock", 2, "wrong", "sale.order", "search", [[]]))
fault("user", lambda: models.execute_kw("crossdock", 2, key, "sale.order", "action_confirm", [[999999]]))
fault("private", lambda: models.execute_kw("crossdock", 2, key, "sale.order", "_private", [[1]]))
fault("none", lambda: models.execute_kw("crossdock", 2, key, "sale.order", "action_lock", [[1]]))
print(json.dumps(faults))
`);
    expect(result.denied).toEqual([3, 'Access Denied']);
    expect(result.user[0]).toBe(2);
    expect(result.user[1]).toContain('(Document type: sale.order, Operation: write, Records: [999999], User: 2)');
    expect(result.private).toEqual([4, 'Private methods (such as _private) cannot be called remotely.']);
    // Odoo marshals with allow_none=False: a method returning None fails over XML-RPC (code 1, traceback).
    expect(result.none[0]).toBe(1);
    expect(result.none[1]).toContain('cannot marshal None unless allow_none is enabled');
  });

  it('keeps string fault codes on the legacy /xmlrpc/<service> routes', async () => {
    const result = await python(`
import json, sys, xmlrpc.client
url, key = sys.argv[1], sys.argv[2]
models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/object")
faults = {}
for name, secret, method in [("denied", "wrong", "search"), ("user", key, "action_confirm")]:
    try:
        models.execute_kw("crossdock", 2, secret, "sale.order", method, [[999999]] if method != "search" else [[]])
    except xmlrpc.client.Fault as f:
        faults[name] = [f.faultCode, f.faultString]
print(json.dumps({"faults": faults, "uid": xmlrpc.client.ServerProxy(f"{url}/xmlrpc/common").login("crossdock", "admin", "admin")}))
`);
    expect(result.uid).toBe(2);
    expect(result.faults.denied).toEqual(['AccessDenied', 'Access Denied']);
    expect(result.faults.user[0]).toMatch(/^warning -- MissingError\n\nOne of the documents you are trying to access has been deleted/);
    expect(result.faults.user[1]).toBe('');
  });

  it('serves JSON-RPC to urllib as Odoo documents it', async () => {
    const result = await python(`
import json, sys, urllib.request
url, key = sys.argv[1], sys.argv[2]
def call(service, method, *args):
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": {"service": service, "method": method, "args": args}, "id": 42}).encode()
    req = urllib.request.Request(f"{url}/jsonrpc", body, {"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(req).read())
uid = call("common", "login", "crossdock", "admin", key)["result"]
rows = call("object", "execute_kw", "crossdock", uid, key, "stock.picking", "search_read", [[["picking_type_code", "=", "outgoing"]]], {"fields": ["name", "state", "origin"]})
print(json.dumps({"uid": uid, "pickings": rows["result"], "id": rows["id"]}))
`);
    expect(result.uid).toBe(2);
    expect(result.id).toBe(42);
    expect(result.pickings).toHaveLength(3);
    for (const p of result.pickings) expect(p.name).toMatch(/^(WH|DAL|NJ3)\/OUT\/\d{5}$/);
  });
});

describe('a Python web-session client (the request sequence odoorpc sends)', () => {
  it('authenticates with a cookie jar, describes the model, reads orders and logs out', async () => {
    const result = await python(`
import http.cookiejar, json, random, sys, urllib.request
url = sys.argv[1]
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
def call(path, params):
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params, "id": random.randint(0, 1000000000)}).encode()
    req = urllib.request.Request(url + path, body, {"Content-Type": "application/json"})
    return json.loads(opener.open(req).read())
version = call("/web/webclient/version_info", {})["result"]["server_version"]
session = call("/web/session/authenticate", {"db": "crossdock", "login": "admin", "password": "admin"})["result"]
fields = call("/jsonrpc", {"service": "object", "method": "execute", "args": ["crossdock", session["uid"], "admin", "sale.order", "fields_get"]})["result"]
rows = call("/web/dataset/call_kw/sale.order/search_read", {"model": "sale.order", "method": "search_read", "args": [[["state", "=", "sale"]], ["name", "partner_id"]], "kwargs": {"context": session["user_context"]}})["result"]
logout = call("/web/session/destroy", {})
after = call("/web/dataset/call_kw", {"model": "sale.order", "method": "search", "args": [[]], "kwargs": {}})
print(json.dumps({"version": version, "uid": session["uid"], "partner": fields["partner_id"], "state": fields["state"]["selection"], "rows": rows, "logout": logout, "after": after["error"]["code"]}))
`);
    expect(result.version).toBe('17.0');
    expect(result.uid).toBe(2);
    expect(result.partner).toMatchObject({ type: 'many2one', relation: 'res.partner', required: true, string: 'Customer' });
    expect(result.state).toEqual([['draft', 'Quotation'], ['sent', 'Quotation Sent'], ['sale', 'Sales Order'], ['cancel', 'Cancelled']]);
    expect(result.rows).toHaveLength(3);
    expect(Object.keys(result.logout)).not.toContain('result');
    expect(result.after).toBe(100);
  });
});

describe('XML-RPC wire format', () => {
  it('answers a raw methodCall with the exact methodResponse', async () => {
    const res = await fetch(`${sim.url}/xmlrpc/2/common`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: "<?xml version='1.0'?>\n<methodCall>\n<methodName>login</methodName>\n<params>\n<param>\n<value><string>crossdock</string></value>\n</param>\n<param>\n<value>admin</value>\n</param>\n<param>\n<value><string>admin</string></value>\n</param>\n</params>\n</methodCall>\n",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await res.text()).toBe("<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><int>2</int></value>\n</param>\n</params>\n</methodResponse>\n");
  });

  it('answers an AccessDenied fault as a struct with faultCode 3', async () => {
    const res = await fetch(`${sim.url}/xmlrpc/2/object`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: '<?xml version="1.0"?><methodCall><methodName>execute_kw</methodName><params><param><value><string>crossdock</string></value></param><param><value><int>2</int></value></param><param><value><string>bad</string></value></param><param><value><string>sale.order</string></value></param><param><value><string>search</string></value></param><param><value><array><data><value><array><data/></array></value></data></array></value></param></params></methodCall>',
    });
    expect(await res.text()).toBe(
      "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>3</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>Access Denied</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n",
    );
  });
});
