import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOdooSimulator, type OdooSimulator } from '../../simulators/odoo';

/**
 * Property-based tests (fast-check) of how the Odoo simulator decodes requests: whatever a client
 * posts to /jsonrpc, /web/*, /xmlrpc/* and /json/2/*, it answers as Odoo would (a JSON-RPC error
 * envelope, an XML-RPC fault, a JSON-2 error or a 4xx), never with a 500 from its own crash and
 * never with `builtins.Exception`, which is what an unexpected JavaScript error inside it becomes.
 * Every request has a deadline (no hang), and a valid call still works after each property.
 */

const RUNS = { numRuns: 150 };
const API_KEY = 'f3c1d2e4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0';
// Wire replies are arbitrary JSON; the assertions are the type check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let sim: OdooSimulator;
let dir: string;
let session: string;

async function post(path: string, body: string | Uint8Array, headers: Record<string, string> = {}) {
  const payload = typeof body === 'string' ? body : Uint8Array.from(body); // a copy fetch types accept (ArrayBuffer-backed)
  const res = await fetch(`${sim.url}${path}`, { method: 'POST', headers, body: payload, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}
const postJson = (path: string, body: string | Uint8Array, headers: Record<string, string> = {}) => post(path, body, { 'content-type': 'application/json', ...headers });
// `id: undefined` leaves the key out, as JSON.stringify does.
const call = (path: string, params: unknown, id: unknown) => postJson(path, JSON.stringify({ jsonrpc: '2.0', method: 'call', params, id }), { cookie: `session_id=${session}` });

/** `serialize_exception` as Odoo sends it, with a Python exception name the simulator chose (not its own crash). */
function expectSerializedException(data: Json) {
  expect(data).toEqual({ name: expect.stringMatching(/^[a-z_0-9.]+\.[A-Za-z]+$/), message: expect.any(String), arguments: expect.any(Array), context: {}, debug: expect.stringMatching(/^Traceback/) });
  expect(data.name, data.message).not.toBe('builtins.Exception');
}

/** A JSON-RPC answer: HTTP 200, the request's id, and a result or an Odoo error. */
function expectEnvelope(reply: { status: number; text: string }, id: unknown) {
  expect(reply.status, reply.text).toBe(200);
  const body = JSON.parse(reply.text);
  expect(body.jsonrpc).toBe('2.0');
  expect(body.id).toEqual(JSON.parse(JSON.stringify(id) ?? 'null')); // as JSON carries it (-0 is 0)
  if ('error' in body) {
    expect(body.error).toEqual({ code: expect.any(Number), message: expect.any(String), data: expect.anything() });
    expectSerializedException(body.error.data);
  }
}

/** The JSON in `bytes` as the simulator reads them (UTF-8), or undefined when they are not JSON. */
function jsonIn(bytes: Uint8Array): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(Buffer.from(bytes).toString('utf8')) };
  } catch {
    return undefined;
  }
}

/** How Odoo's JsonRPCDispatcher answers a JSON body: an envelope for an object, 400 for anything else. */
function expectJsonRpcAnswer(reply: { status: number; text: string }, request: unknown) {
  if (typeof request === 'object' && request !== null && !Array.isArray(request)) expectEnvelope(reply, (request as Json).id ?? null);
  else expect(reply).toMatchObject({ status: 400, text: 'Invalid JSON-RPC data' });
}

const xml = new XMLParser({ parseTagValue: false, ignoreAttributes: true });
// Characters XML 1.0 has no way to carry; a reply holding one is not well-formed for any client.
const notXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** An XML-RPC answer: HTTP 200, well-formed XML, a response or a fault whose traceback names a Python exception. */
function expectXmlRpcAnswer(reply: { status: number; type: string; text: string }, legacy = false) {
  expect(reply.status, reply.text).toBe(200);
  expect(reply.type).toBe('text/xml; charset=utf-8');
  expect(XMLValidator.validate(reply.text)).toBe(true);
  expect(notXmlChar.test(reply.text)).toBe(false);
  const fault = xml.parse(reply.text).methodResponse.fault;
  if (!fault) return;
  const [code, text] = fault.value.struct.member.map((m: Json) => m.value.int ?? m.value.string);
  if (!legacy) expect([1, 2, 3, 4]).toContain(Number(code));
  const raised = /retrying\(self\._serve_ir_http, self\.env\)\n([\w.]+): /.exec(String(text))?.[1];
  expect(raised, String(text)).not.toBe('builtins.Exception');
}

/** After each property the simulator still serves a real call, with its seeded data intact. */
async function expectStillServing() {
  const reply = await call('/jsonrpc', { service: 'object', method: 'execute_kw', args: ['crossdock', 2, API_KEY, 'res.partner', 'search_count', [[['name', '=', 'Acme Hardware']]]] }, 7);
  expect(JSON.parse(reply.text)).toEqual({ jsonrpc: '2.0', id: 7, result: 1 });
  expectXmlRpcAnswer(await post('/xmlrpc/2/common', '<?xml version="1.0"?><methodCall><methodName>version</methodName></methodCall>'));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'odoo-rpc-props-'));
  // 19 serves JSON-2 besides JSON-RPC and XML-RPC.
  sim = await startOdooSimulator({ dataDir: dir, port: 0, apiKey: API_KEY, version: 19 });
  // Deliberately the first call: a call the ORM refuses (rolled back) must not take the seeded data with it.
  const refused = await call('/jsonrpc', { service: 'object', method: 'execute_kw', args: ['crossdock', 2, API_KEY, 'res.partner', 'search', [['bogus']]] }, 1);
  expect(JSON.parse(refused.text).error.data).toMatchObject({ name: 'builtins.ValueError', message: "Invalid leaf 'bogus'" });
  await expectStillServing();
  const res = await fetch(`${sim.url}/web/session/authenticate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ params: { db: 'crossdock', login: 'admin', password: 'admin' } }) });
  session = /session_id=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1];
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

// Values a client could put anywhere in a request: any JSON, or something close to what Odoo expects.
const models = ['res.partner', 'sale.order', 'stock.picking', 'product.product', 'stock.quant', 'no.such', '__proto__', 'constructor'];
const methods = ['search', 'search_read', 'read', 'create', 'write', 'unlink', 'fields_get', 'name_search', 'default_get', 'search_count', 'action_confirm', 'action_lock', 'button_validate', 'toString', '_private'];
const near = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom([], [[]], [2], ['name'], [['name', '=', 'x']], ['|', ['id', '=', 1]], { name: 'x' }, { toString: 1 }, { order: 'id' }, 2, 'name', false, null),
);
const executeKw = fc.tuple(fc.constantFrom(...models), fc.constantFrom(...methods), fc.array(near, { maxLength: 3 }), fc.dictionary(fc.constantFrom('fields', 'limit', 'offset', 'order', 'domain', 'context', 'vals', 'load', 'x'), near, { maxKeys: 3 }));

describe('JSON-RPC (/jsonrpc and the /web/* session routes)', () => {
  it('answers any bytes with 400 "Invalid JSON data", 400 "Invalid JSON-RPC data", or an envelope', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/jsonrpc', '/web/dataset/call_kw', '/web/session/authenticate'), fc.uint8Array({ maxLength: 300 }), async (path, bytes) => {
        const reply = await postJson(path, bytes);
        const json = jsonIn(bytes);
        if (json === undefined) expect(reply).toMatchObject({ status: 400, text: 'Invalid JSON data' });
        else expectJsonRpcAnswer(reply, json.value);
      }),
      RUNS,
    );
    await expectStillServing();
  });

  it('answers JSON that is not an object with 400 "Invalid JSON-RPC data" (as Odoo), and any object with an envelope echoing its id', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 5 }), async (value) => {
        expectJsonRpcAnswer(await postJson('/jsonrpc', JSON.stringify(value)), value);
      }),
      RUNS,
    );
    await expectStillServing();
  });

  it('answers plausible but wrong calls of every service, model and method with a result or an Odoo exception', async () => {
    const params = fc.oneof(
      fc.record({ service: fc.constantFrom('common', 'object', 'db', 'report', ''), method: fc.oneof(fc.constantFrom('version', 'login', 'authenticate', 'about', 'execute', 'execute_kw', 'list', 'db_exist', 'drop'), near), args: near }, { requiredKeys: [] }),
      executeKw.map(([model, method, args, kwargs]) => ({ service: 'object', method: 'execute_kw', args: ['crossdock', 2, API_KEY, model, method, args, kwargs] })),
      fc.tuple(near, near, near).map(([db, uid, key]) => ({ service: 'object', method: 'execute_kw', args: [db, uid, key, 'res.partner', 'search', [[]]] })),
    );
    await fc.assert(
      fc.asyncProperty(fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }), params, async (id, p) => expectEnvelope(await call('/jsonrpc', p, id), id ?? null)),
      RUNS,
    );
    await expectStillServing();
  });

  it('answers the session routes (call_kw with a valid session) with a result or an Odoo exception', async () => {
    const params = fc.oneof(
      executeKw.map(([model, method, args, kwargs]) => ({ model, method, args, kwargs })),
      fc.record({ model: near, method: near, args: near, kwargs: near, db: near, login: near, password: near }, { requiredKeys: [] }),
    );
    const path = fc.constantFrom('/web/dataset/call_kw', '/web/dataset/call_kw/x/y', '/web/session/authenticate', '/web/session/get_session_info', '/web/webclient/version_info', '/web/nothing');
    await fc.assert(fc.asyncProperty(path, params, async (p, q) => expectEnvelope(await call(p, q, 7), 7)), RUNS);
    await expectStillServing();
  });

  it('answers deeply nested and very large requests with an envelope (RecursionError past 900 levels), never a 500', async () => {
    const nested = (depth: number, leaf: string) => `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 50_000 }), fc.constantFrom('id', 'args', 'domain'), async (depth, where) => {
        const deep = nested(depth, '1');
        const call = `"service": "object", "method": "execute_kw", "args": ["crossdock", 2, "${API_KEY}", "res.partner", "search", ${where === 'args' ? deep : `[${deep}]`}]`;
        const body = where === 'id' ? `{"id": ${deep}, "params": {"service": "common", "method": "version", "args": []}}` : `{"id": 1, "params": {${call}}}`;
        // Levels around `deep`: the request object, then params and args, then the domain list.
        const total = depth + { id: 1, args: 2, domain: 3 }[where];
        const reply = await postJson('/jsonrpc', body);
        if (total > 900) expect(JSON.parse(reply.text)).toMatchObject({ id: null, error: { data: { name: 'builtins.RecursionError' } } });
        expectEnvelope(reply, total > 900 ? null : where === 'id' ? JSON.parse(deep) : 1);
      }),
      { numRuns: 40 },
    );
    const huge = 'x'.repeat(4_000_000);
    expectEnvelope(await call('/jsonrpc', { service: 'object', method: 'execute_kw', args: ['crossdock', 2, API_KEY, 'res.partner', 'search', [[['name', '=', huge]]]] }, 7), 7);
    await expectStillServing();
  });
});

describe('JSON-2 (/json/2/<model>/<method>)', () => {
  it('answers any body, path and key with a result, a 4xx, or an Odoo exception with its status, never a crash', async () => {
    const auth = fc.oneof(fc.constant(`bearer ${API_KEY}`), fc.string({ maxLength: 30 }));
    const segment = fc.oneof(fc.constantFrom(...models, ...methods), fc.string({ minLength: 1, maxLength: 12 }).map(encodeURIComponent));
    const body = fc.oneof(fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? ''), fc.dictionary(fc.constantFrom('ids', 'domain', 'fields', 'limit', 'order', 'vals', 'vals_list', 'context', 'x'), near).map((v) => JSON.stringify(v)), fc.string({ maxLength: 50 }));
    await fc.assert(
      fc.asyncProperty(segment, segment, auth, body, async (model, method, authorization, text) => {
        const reply = await postJson(`/json/2/${model}/${method}`, text, { authorization });
        // `.` and `..` segments are resolved away by the client: no model and method left, the route's hint.
        if (reply.type === 'text/plain') expect(reply).toMatchObject({ status: 404, text: 'Did you mean POST /json/2/<model>/<method>?' });
        else if (reply.status !== 200) {
          expect(reply.type).toBe('application/json; charset=utf-8');
          expect([400, 401, 403, 404, 422, 500], reply.text).toContain(reply.status);
          expectSerializedException(JSON.parse(reply.text));
        }
      }),
      RUNS,
    );
    await expectStillServing();
  });
});

describe('XML-RPC (/xmlrpc/2/* and the legacy /xmlrpc/*)', () => {
  const text = fc.oneof(fc.string({ maxLength: 20 }), fc.integer().map(String), fc.constantFrom('0', '1', '-7', '2.5', 'abc', '', 'crossdock', API_KEY, 'res.partner', 'search'));
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const scalar = fc.oneof(
    fc.tuple(fc.constantFrom('int', 'i4', 'i8', 'double', 'boolean', 'string', 'base64', 'dateTime.iso8601', 'nil', 'foo'), text).map(([tag, t]) => `<value><${tag}>${escape(t)}</${tag}></value>`),
    text.map((t) => `<value>${escape(t)}</value>`),
    fc.constantFrom('<value/>', '<value></value>', '<value><nil/></value>'),
  );
  const { value } = fc.letrec<{ value: string }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      scalar,
      fc.array(tie('value'), { maxLength: 4 }).map((vs) => `<value><array><data>${vs.join('')}</data></array></value>`),
      fc.array(fc.tuple(text, tie('value')), { maxLength: 4 }).map((ms) => `<value><struct>${ms.map(([n, v]) => `<member><name>${escape(n)}</name>${v}</member>`).join('')}</struct></value>`),
    ),
  }));
  const param = fc.oneof({ weight: 5, arbitrary: value.map((v) => `<param>${v}</param>`) }, fc.constantFrom('<param/>', '<param>text</param>'));
  const name = fc.oneof(fc.constantFrom('version', 'about', 'login', 'authenticate', 'execute', 'execute_kw', 'list', 'server_version'), text);
  const methodCall = fc.tuple(name, fc.array(param, { maxLength: 7 })).map(([n, ps]) => `<?xml version="1.0"?>\n<methodCall><methodName>${escape(n)}</methodName><params>${ps.join('')}</params></methodCall>`);
  const route = fc.constantFrom('/xmlrpc/2/common', '/xmlrpc/2/object', '/xmlrpc/2/db', '/xmlrpc/2/report', '/xmlrpc/common', '/xmlrpc/object');

  it('answers any bytes with a well-formed fault', async () => {
    await fc.assert(
      fc.asyncProperty(route, fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 200 }).map((s) => Buffer.from(s))), async (path, bytes) =>
        expectXmlRpcAnswer(await post(path, bytes, { 'content-type': 'text/xml' }), !path.includes('/2/')),
      ),
      RUNS,
    );
    await expectStillServing();
  });

  it('answers method calls with wrong types, unknown tags, missing values and any structure with a response or a fault', async () => {
    await fc.assert(
      fc.asyncProperty(route, methodCall, async (path, body) => expectXmlRpcAnswer(await post(path, body, { 'content-type': 'text/xml' }), !path.includes('/2/'))),
      RUNS,
    );
    await expectStillServing();
  });

  it('answers a valid execute_kw with one character changed, cut short or nested deep with a response or a fault', async () => {
    const valid = `<?xml version="1.0"?><methodCall><methodName>execute_kw</methodName><params>${['crossdock', 2, API_KEY, 'res.partner', 'search_read'].map((v) => `<param><value><${typeof v === 'number' ? 'int' : 'string'}>${v}</${typeof v === 'number' ? 'int' : 'string'}></value></param>`).join('')}<param><value><array><data><value><array><data></data></array></value></data></array></value></param><param><value><struct><member><name>limit</name><value><int>1</int></value></member></struct></value></param></params></methodCall>`;
    expect((await post('/xmlrpc/2/object', valid)).text).toContain('<name>id</name>');
    const mutated = fc.oneof(
      fc.tuple(fc.nat(valid.length - 1), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })).map(([at, c]) => `${valid.slice(0, at)}${c}${valid.slice(at + 1)}`),
      fc.nat(valid.length - 1).map((at) => valid.slice(0, at)),
      fc.integer({ min: 1, max: 400 }).map((depth) => valid.replace('<array><data></data></array>', `${'<array><data><value>'.repeat(depth)}1${'</value></data></array>'.repeat(depth)}`)),
    );
    await fc.assert(fc.asyncProperty(mutated, async (body) => expectXmlRpcAnswer(await post('/xmlrpc/2/object', body))), RUNS);
    expectXmlRpcAnswer(await post('/xmlrpc/2/common', `<methodCall><methodName>${'m'.repeat(4_000_000)}</methodName></methodCall>`));
    await expectStillServing();
  });
});
