import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { CommonFaults, endOutageAfter, readJson, ReturnCondition, seededRandom, sendJson, sleep, StateFile } from './sim-kit';
import { InvalidTransition, WarehouseState, type SimOrder, type WmsRestState } from './warehouse-state';
import { WebhookSender } from './webhook-sender';

export const WmsRestFaults = CommonFaults.extend({
  /** The next N API calls are answered 429 with Retry-After. */
  burst429: z.number().int().min(0).default(0),
  retryAfterSeconds: z.number().int().min(0).default(1),
  duplicateRate: z.number().min(0).max(1).default(0),
  /** How many times a duplicated webhook is sent (2 = once more; more makes a duplicate storm). */
  duplicateCopies: z.number().int().min(2).max(20).default(2),
  reorder: z.boolean().default(false),
  dropRate: z.number().min(0).max(1).default(0),
  malformedRate: z.number().min(0).max(1).default(0),
});
export type WmsRestFaults = z.output<typeof WmsRestFaults>;

export interface WmsRestSimulatorOptions {
  host?: string;
  /** 0 picks a free port. @defaultValue 9101 */
  port?: number;
  /** Where the simulator keeps its state between runs; unset keeps it in memory. */
  stateFile?: string;
  apiKey?: string;
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of issued OAuth2 tokens, in s. @defaultValue 3600 */
  tokenTtlSeconds?: number;
  /** Standard Webhooks secret (`whsec_…`). */
  webhookSecret: string;
  /** Where webhooks go; can be set later with `POST /_sim/webhooks`. */
  webhookUrl?: string;
  /** Starting stock per SKU, in units. */
  stock?: Record<string, number>;
  seed?: number;
  /** When set, orders move on by themselves one step every this many ms (demo traffic). */
  autoAdvanceMs?: number;
  /** With `autoAdvanceMs`: only acknowledge on its own (fulfilment is driven later), like a WMS at a release peak. */
  autoAcknowledgeOnly?: boolean;
}

export interface RunningSimulator {
  url: string;
  port: number;
  state: WarehouseState;
  webhooks: WebhookSender;
  close(): Promise<void>;
}

/**
 * A ShipBob/ShipHero-style WMS on loopback: JSON REST with API key or OAuth2 client
 * credentials, cursor pages (max 250), 429 bursts with Retry-After, idempotent order creation on
 * `reference_id`, and signed webhooks with at-least-once quirks. `/_sim/*` is the control plane.
 */
export async function startWmsRestSimulator(options: WmsRestSimulatorOptions): Promise<RunningSimulator> {
  const random = seededRandom(options.seed ?? 42);
  let faults: WmsRestFaults = WmsRestFaults.parse({});
  let webhookUrl = options.webhookUrl;
  const tokens = new Map<string, number>();
  const file: StateFile<WmsRestState> = new StateFile<WmsRestState>(options.stateFile, (): WmsRestState => state.data);
  const persisted: WmsRestState | undefined = file.load();
  const state: WarehouseState = persisted ? new WarehouseState(persisted) : WarehouseState.empty(options.stock ?? {});
  const webhooks = new WebhookSender(options.webhookSecret, () => webhookUrl, () => faults, random);
  const changed = (hooks: Parameters<WebhookSender['announce']>[0]) => {
    file.changed();
    webhooks.announce(hooks);
  };

  const api = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (faults.outage) return sendJson(res, 503, { error: 'service unavailable' });
    if (faults.latencyMs) await sleep(faults.latencyMs);
    if (url.pathname === '/oauth/token') return token(req, res);
    if (!authorised(req)) return sendJson(res, 401, { error: 'unauthorized' });
    if (faults.burst429 > 0) {
      faults.burst429 -= 1;
      return sendJson(res, 429, { error: 'rate limited' }, { 'retry-after': String(faults.retryAfterSeconds) });
    }
    if (random() < faults.errorRate) return sendJson(res, 500, { error: 'internal error' });
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (req.method === 'POST' && url.pathname === '/v1/orders') return createOrder(req, res);
    if (req.method === 'GET' && url.pathname === '/v1/orders') return list(res, url, Object.values(state.data.orders).map(wire));
    if (req.method === 'GET' && parts[1] === 'orders' && parts.length === 3) {
      const order = state.data.orders[parts[2]];
      return order ? sendJson(res, 200, { order: wire(order) }) : sendJson(res, 404, { error: 'not found' });
    }
    if (req.method === 'POST' && parts[1] === 'orders' && parts[3] === 'cancel') {
      const order = state.data.orders[parts[2]];
      if (!order) return sendJson(res, 404, { error: 'not found' });
      try {
        changed(state.cancel(order));
      } catch (error) {
        if (error instanceof InvalidTransition) return sendJson(res, 409, { error: error.message, code: 'invalid_state' });
        throw error;
      }
      return sendJson(res, 200, { order: wire(order) });
    }
    if (req.method === 'GET' && url.pathname === '/v1/inventory') return list(res, url, inventoryItems());
    if (req.method === 'GET' && url.pathname === '/v1/returns') return list(res, url, Object.values(state.data.returns));
    return sendJson(res, 404, { error: 'not found' });
  };

  const inventoryItems = () => {
    const items = Object.values(state.data.stock).map((s) => state.stockItem(s));
    if (faults.unknownSkus) items.push({ sku: 'ZZ-UNKNOWN-9', location: 'Q-1', on_hand: 3, committed: 0, available: 3, updated_at: new Date(0).toISOString() });
    return items;
  };

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    const [id, secret] = basic ? Buffer.from(basic[1], 'base64').toString().split(':') : [];
    for await (const _ of req);
    if (!options.clientId || id !== options.clientId || !same(secret ?? '', options.clientSecret ?? ''))
      return sendJson(res, 401, { error: 'invalid_client' });
    const value = randomBytes(24).toString('base64url');
    const ttl = options.tokenTtlSeconds ?? 3600;
    tokens.set(value, Date.now() + ttl * 1000);
    return sendJson(res, 200, { access_token: value, token_type: 'Bearer', expires_in: ttl });
  };

  const authorised = (req: IncomingMessage) => {
    const header = req.headers.authorization ?? '';
    if (options.apiKey && header.startsWith('ApiKey ')) return same(header.slice(7), options.apiKey);
    const bearer = /^Bearer (.+)$/.exec(header);
    const expires = bearer ? tokens.get(bearer[1]) : undefined;
    return expires !== undefined && expires > Date.now();
  };

  const OrderBody = z.object({
    reference_id: z.string().min(1).max(64),
    ship_to: z.object({ name: z.string().min(1), address1: z.string().min(1), city: z.string().min(1), zip: z.string().min(1), country: z.string().length(2) }).passthrough(),
    shipping_method: z.object({ carrier: z.string(), service: z.string() }),
    lines: z.array(z.object({ line_ref: z.string().min(1), sku: z.string().min(1), quantity: z.number().int().positive() })).min(1),
  });

  const createOrder = async (req: IncomingMessage, res: ServerResponse) => {
    let body;
    try {
      body = OrderBody.parse(await readJson(req));
    } catch (error) {
      return sendJson(res, 400, { error: 'invalid order', detail: (error as Error).message.slice(0, 500) });
    }
    const unknown = body.lines.find((l) => !state.data.stock[l.sku]);
    if (unknown) return sendJson(res, 422, { error: `unknown sku ${unknown.sku}`, code: 'unknown_sku' });
    const { order, created } = state.create(body);
    file.changed();
    return sendJson(res, created ? 201 : 200, { order: wire(order), created });
  };

  const list = (res: ServerResponse, url: URL, items: { updated_at: string }[]) => {
    const limit = Number(url.searchParams.get('limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 250) return sendJson(res, 400, { error: 'limit must be 1..250' });
    const since = url.searchParams.get('updated_at_min');
    const sorted = items.filter((i) => !since || i.updated_at >= since).sort((a, b) => (a.updated_at < b.updated_at ? -1 : a.updated_at > b.updated_at ? 1 : 0));
    const offset = Number(Buffer.from(url.searchParams.get('cursor') ?? 'MA', 'base64url').toString() || 0);
    const data = sorted.slice(offset, offset + limit);
    const next = offset + limit < sorted.length ? Buffer.from(String(offset + limit)).toString('base64url') : null;
    return sendJson(res, 200, { data, next_cursor: next });
  };

  const control = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const body = req.method === 'POST' ? ((await readJson(req)) as Record<string, unknown>) : {};
    const order = (): SimOrder => {
      const found = state.data.orders[String(body.orderId)];
      if (!found) throw new InvalidTransition(`unknown order ${String(body.orderId)}`);
      return found;
    };
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /_sim/state':
        return sendJson(res, 200, simState());
      case 'GET /_sim/faults':
        return sendJson(res, 200, faults);
      case 'POST /_sim/faults':
        faults = WmsRestFaults.parse({ ...faults, ...body });
        if (faults.outage) endOutageAfter(faults.outageForMs, () => (faults = { ...faults, outage: false, outageForMs: undefined }));
        return sendJson(res, 200, faults);
      case 'POST /_sim/webhooks':
        webhookUrl = typeof body.url === 'string' ? body.url : undefined;
        return sendJson(res, 200, { url: webhookUrl });
      case 'POST /_sim/process':
        if (!faults.loseAcknowledgements) for (const o of Object.values(state.data.orders)) changed(state.acknowledge(o));
        return sendJson(res, 200, simState());
      case 'POST /_sim/fulfil': {
        const o = order();
        changed(state.acknowledge(o));
        changed(state.pick(o));
        changed(state.pack(o));
        changed(state.ship(o, body.short === true || random() < faults.shortShipRate));
        await webhooks.idle();
        return sendJson(res, 200, { order: wire(o) });
      }
      case 'POST /_sim/return': {
        const { ret, hooks } = state.receiveReturn(order(), ReturnCondition.parse(body.condition));
        changed(hooks);
        await webhooks.idle();
        return sendJson(res, 200, { returnId: ret.id });
      }
      case 'POST /_sim/stock':
        changed([state.adjustStock(String(body.sku), Number(body.delta))]);
        await webhooks.idle();
        return sendJson(res, 200, state.stockItem(state.data.stock[String(body.sku)]));
      case 'POST /_sim/revoke-tokens':
        // A token the WMS forgot before its expiry (key rotation, a restart): clients must fetch a new one.
        tokens.clear();
        return sendJson(res, 200, { revoked: true });
      case 'POST /_sim/idle':
        await webhooks.idle();
        return sendJson(res, 200, webhooks.stats);
      default:
        return sendJson(res, 404, { error: 'not found' });
    }
  };

  const simState = () => ({
    dialect: 'wms-rest',
    orders: Object.fromEntries(Object.values(state.data.orders).map((o) => [o.reference_id, { id: o.id, status: o.status, received: o.create_requests, shipments: o.shipments.length, lines: o.lines }])),
    received: { distinct: Object.keys(state.data.orders).length, raw: Object.values(state.data.orders).reduce((n, o) => n + o.create_requests, 0) },
    shipped: Object.values(state.data.orders).reduce((n, o) => n + o.shipments.length, 0),
    returns: Object.keys(state.data.returns).length,
    stock: Object.fromEntries(Object.values(state.data.stock).map((s) => [s.sku, state.stockItem(s)])),
    webhooks: webhooks.stats,
  });

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handler = url.pathname.startsWith('/_sim/') ? control : api;
    handler(req, res, url).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      const status = error instanceof InvalidTransition ? 409 : error instanceof z.ZodError || error instanceof SyntaxError ? 400 : 500;
      sendJson(res, status, { error: (error as Error).message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9101, options.host ?? '127.0.0.1', resolve);
  });
  const timer = options.autoAdvanceMs ? setInterval(() => autoAdvance(), options.autoAdvanceMs) : undefined;
  const autoAdvance = () => {
    for (const o of Object.values(state.data.orders)) {
      if (o.status === 'Received' && !faults.loseAcknowledgements) changed(state.acknowledge(o));
      else if (options.autoAcknowledgeOnly) continue;
      else if (o.status === 'Processing') changed(state.pick(o));
      else if (o.status === 'Picked') changed(state.pack(o));
      else if (o.status === 'Packed') changed(state.ship(o, random() < faults.shortShipRate));
    }
  };
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    state,
    webhooks,
    async close() {
      if (timer) clearInterval(timer);
      await webhooks.idle();
      file.flush();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function wire(order: SimOrder) {
  const { create_requests: _c, ...rest } = order;
  return rest;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
