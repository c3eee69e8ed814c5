import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { asOdooException, OdooException } from './errors';
import { Faults, FaultSettings } from './faults';
import { createOrder, startGenerator, type GeneratorOptions } from './generator';
import { OdooInstance, type OdooInstanceOptions } from './instance';
import { errorEnvelope, notFound, resultEnvelope } from './protocol/envelope';
import { json2 } from './protocol/json2';
import { dispatchRpc } from './protocol/json-rpc';
import { sessionRoute } from './protocol/session';
import { parseRequestJson } from './protocol/wire-values';
import { xmlRpc } from './protocol/xml-rpc';
import { OutgoingWebhooks, WebhookRule } from './webhooks';

export interface OdooSimulatorOptions extends OdooInstanceOptions {
  /** 8069 by default; 0 picks a free port. */
  port?: number;
  /** Orders generated along the distribution-day curve; `false` (the default) generates none. */
  generator?: GeneratorOptions | false;
}

/** A running simulator. */
export interface OdooSimulator {
  url: string;
  port: number;
  odoo: OdooInstance;
  faults: Faults;
  close(): Promise<void>;
}

const JSON_TYPES = new Set(['application/json', 'application/json-rpc']);
const GenerateRequest = z.object({ count: z.number().int().min(1).max(10_000) }).strict();

/**
 * Starts the Odoo simulator on 127.0.0.1 (loopback only: it accepts a well-known password):
 * `/jsonrpc`, `/xmlrpc/2/*`, the web session routes, JSON-2 when imitating 19, and the
 * `/_sim/*` control routes for tests and the demo.
 */
export async function startOdooSimulator(options: OdooSimulatorOptions): Promise<OdooSimulator> {
  const odoo = new OdooInstance(options);
  const faults = new Faults();
  const webhooks = new OutgoingWebhooks(odoo);
  const server = createServer((req, res) => {
    handle(odoo, faults, webhooks, req, res).catch((error: unknown) => {
      const tooLarge = error instanceof BodyTooLarge;
      if (!res.headersSent) res.writeHead(tooLarge ? 413 : 500, { 'content-type': 'text/plain', ...(tooLarge ? { connection: 'close' } : {}) });
      res.end(tooLarge ? 'Request Entity Too Large' : String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8069, '127.0.0.1', () => resolve());
  });
  const stopGenerator = options.generator ? startGenerator(odoo, options.generator) : () => undefined;
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    odoo,
    faults,
    async close() {
      stopGenerator();
      await closeServer(server);
      odoo.close();
    },
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Odoo's default `limit_request` is far above this; a test double only needs to refuse floods. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value), headers);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function handle(odoo: OdooInstance, faults: Faults, webhooks: OutgoingWebhooks, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = url.pathname;
  const body = await readBody(req);
  if (path.startsWith('/_sim/')) return control(odoo, faults, webhooks, req.method ?? 'GET', path, body, res);

  if (faults.latencyMs > 0) await sleep(faults.latencyMs);
  if (faults.maintenance) return send(res, 502, 'text/html', '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n');
  if (faults.errorRate > 0 && Math.random() < faults.errorRate)
    return send(res, 503, 'text/html', '<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>\n');

  if (path.startsWith('/xmlrpc/2/') && req.method === 'POST') {
    const service = path.slice('/xmlrpc/2/'.length);
    return send(res, 200, 'text/xml; charset=utf-8', xmlRpc(odoo, service, body));
  }
  if (/^\/xmlrpc\/(common|object|db)$/.test(path) && req.method === 'POST')
    return send(res, 200, 'text/xml; charset=utf-8', xmlRpc(odoo, path.slice('/xmlrpc/'.length), body, true));
  if (path.startsWith('/json/2/') || path === '/json/2') {
    if (odoo.version < 19) return send(res, 404, 'text/html; charset=utf-8', notFoundPage);
    if (path.endsWith('/button_validate') && faults.slowValidateMs > 0) await sleep(faults.slowValidateMs);
    const reply = json2(odoo, req.method ?? 'GET', path, req.headers, body);
    return typeof reply.body === 'string' ? send(res, reply.status, 'text/plain', reply.body) : sendJson(res, reply.status, reply.body, reply.headers);
  }
  if (odoo.version >= 19 && req.method === 'GET' && (path === '/web/version' || path === '/json/version'))
    return sendJson(res, 200, { version_info: odoo.versionInfo().server_version_info, version: `${odoo.version}.0` });
  if (req.method !== 'POST') return send(res, 404, 'text/html; charset=utf-8', notFoundPage);

  const mimetype = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const knownJsonRoute = path === '/jsonrpc' || path.startsWith('/web/');
  if (!JSON_TYPES.has(mimetype)) {
    if (!knownJsonRoute) return send(res, 404, 'text/html; charset=utf-8', notFoundPage);
    return send(res, 400, 'text/html; charset=utf-8', `<p>Request inferred type is compatible with ['http'] but '${path}' is type='json'.</p>`);
  }
  let request: unknown;
  try {
    request = parseRequestJson(body);
  } catch (error) {
    if (error instanceof SyntaxError) return send(res, 400, 'text/plain', 'Invalid JSON data');
    // Too deeply nested: Odoo's handle_error answers the RecursionError in an envelope (no id read yet).
    return sendJson(res, 200, errorEnvelope(null, asOdooException(error), odoo.version));
  }
  // `JsonRPCDispatcher` reads `jsonrequest.get('id')`: on a list, string or number that is an AttributeError it answers so.
  if (typeof request !== 'object' || request === null || Array.isArray(request)) return send(res, 400, 'text/plain', 'Invalid JSON-RPC data');
  const { id = null, params: given } = request as { id?: unknown; params?: unknown };
  const params = (given && typeof given === 'object' ? given : {}) as Record<string, unknown>;
  const sid = /(?:^|;\s*)session_id=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  try {
    if (path === '/jsonrpc') {
      if (params.service === 'object' && faults.slowValidateMs > 0 && (params.args as unknown[])?.[4] === 'button_validate') await sleep(faults.slowValidateMs);
      return sendJson(res, 200, resultEnvelope(id, dispatchRpc(odoo, params)));
    }
    const reply = sessionRoute(odoo, path, params, sid);
    if (!reply) throw notFound();
    return sendJson(res, 200, resultEnvelope(id, reply.result), reply.setCookie ? { 'set-cookie': reply.setCookie } : {});
  } catch (error) {
    return sendJson(res, 200, errorEnvelope(id, asOdooException(error), odoo.version));
  }
}

const notFoundPage = '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n';

function control(odoo: OdooInstance, faults: Faults, webhooks: OutgoingWebhooks, method: string, path: string, body: string, res: ServerResponse): void {
  if (path === '/_sim/state' && method === 'GET')
    return sendJson(res, 200, {
      database: odoo.database,
      version: odoo.versionInfo().server_version,
      counters: odoo.counters,
      calls: Object.fromEntries(odoo.calls),
      faults: faults.snapshot(),
    });
  if (path === '/_sim/faults' && method === 'POST') {
    let input: unknown;
    try {
      input = body ? JSON.parse(body) : {};
    } catch {
      return sendJson(res, 400, { error: 'body must be JSON' });
    }
    const { rotateApiKey, reset, ...rest } = (input ?? {}) as Record<string, unknown>;
    const parsed = FaultSettings.safeParse(rest);
    if (!parsed.success) return sendJson(res, 400, { error: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') });
    if (reset === true) faults.reset();
    faults.apply(parsed.data);
    const apiKey = rotateApiKey === true ? odoo.rotateApiKey() : undefined;
    return sendJson(res, 200, { faults: faults.snapshot(), ...(apiKey ? { apiKey } : {}) });
  }
  if (path === '/_sim/webhooks' && method === 'GET') return sendJson(res, 200, { rules: webhooks.list() });
  if (path === '/_sim/webhooks' && method === 'POST') {
    let parsed;
    try {
      parsed = WebhookRule.safeParse(body ? JSON.parse(body) : {});
    } catch {
      return sendJson(res, 400, { error: 'body must be JSON' });
    }
    if (!parsed.success) return sendJson(res, 400, { error: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') });
    try {
      return sendJson(res, 201, { id: webhooks.add(parsed.data) });
    } catch (error) {
      return sendJson(res, 400, { error: asOdooException(error).message });
    }
  }
  if (path === '/_sim/orders' && method === 'POST') {
    const parsed = GenerateRequest.safeParse(body ? JSON.parse(body) : {});
    if (!parsed.success) return sendJson(res, 400, { error: 'expected {"count": 1..10000}' });
    try {
      const names = Array.from({ length: parsed.data.count }, () => createOrder(odoo));
      return sendJson(res, 201, { orders: names });
    } catch (error) {
      const e = asOdooException(error);
      return sendJson(res, 500, { error: e instanceof OdooException ? e.message : String(error) });
    }
  }
  sendJson(res, 404, { error: `no control route ${method} ${path}` });
}
