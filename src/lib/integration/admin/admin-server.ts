import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { MessageBus } from '../bus/types';
import { DeadLetterFilter, type DeadLetterStore } from '../delivery/dead-letter-store';
import type { EndpointRegistry } from '../delivery/endpoint-registry';
import type { DeadLetterRemediation, RemediationResult } from '../delivery/replay';
import { bearerMatches } from './auth';
import { HttpError, listen, type Listening, parseInput, readJson, sendJson } from './http';
import type { FlowsAdmin } from '../flows';
import type { MessageLedger } from '../delivery/ledger';
import { CorrelationId, DeadLetterId, DiscardBody, EndpointId, IdempotencyKey, ReconcileBody, ReplayBody, RerouteBody, RunId } from './schemas';

/** What the admin API serves. */
export interface AdminApiOptions {
  host: string;
  port: number;
  /**
   * The bearer service token. Unset means the API refuses every request with 503 (secure by
   * default: an operator must choose a token before anything can replay or discard).
   */
  token: string | undefined;
  bus: MessageBus;
  deadLetters: DeadLetterStore;
  remediation: DeadLetterRemediation;
  endpoints: EndpointRegistry;
  /** The partner message ledger: an order's exchanged messages, for the console's transaction page. */
  ledger?: MessageLedger;
  /** Reroute, reconciliation and order lookups, when the flows run. */
  flows?: FlowsAdmin;
  /** What this process's workers did since start, by outcome. */
  deliveries?: () => Readonly<Record<string, number>>;
  /** This process's span export buffer, when tracing runs. */
  telemetry?: () => object;
  startedAt?: number;
}

export type AdminApi = Listening;

type Handler = (req: IncomingMessage, params: string[], query: URLSearchParams) => Promise<[number, unknown]>;

/**
 * The runtime's admin API (`/admin/v1`), what the console's approved remediations call. See
 * docs/admin-api.openapi.yaml.
 */
export async function startAdminApi(options: AdminApiOptions): Promise<AdminApi> {
  const startedAt = options.startedAt ?? Date.now();
  const remediationReply = (result: RemediationResult): [number, unknown] => {
    switch (result.outcome) {
      case 'done':
      case 'repeated':
        return [200, { outcome: result.outcome, action: result.action }];
      case 'not_found':
        throw new HttpError(404, 'not_found', 'no such dead letter');
      case 'not_open':
        throw new HttpError(409, 'not_open', `the dead letter is already ${result.status}`);
      case 'key_conflict':
        throw new HttpError(422, 'idempotency_key_reused', 'this Idempotency-Key was already used for a different request');
    }
  };
  const idempotencyKeyOf = (req: IncomingMessage) => parseInput(IdempotencyKey, req.headers['idempotency-key'], 'header.Idempotency-Key');

  const routes: Array<[string, RegExp, Handler]> = [
    ['GET', /^\/admin\/v1\/health$/, async () => [200, {
      status: 'ok',
      bus: options.bus.system,
      uptimeMs: Date.now() - startedAt,
      process: { pid: process.pid, deliveries: options.deliveries?.() ?? {}, sources: options.flows?.sources() ?? null, telemetry: options.telemetry?.() ?? null },
      endpoints: options.endpoints.describe(),
    }]],
    ['GET', /^\/admin\/v1\/queues$/, async () => [200, { queues: await options.bus.stats() }]],
    ['GET', /^\/admin\/v1\/dead-letters$/, async (_req, _p, query) => {
      const filter = parseInput(DeadLetterFilter, Object.fromEntries(query), 'query');
      return [200, { deadLetters: options.deadLetters.list(filter) }];
    }],
    ['GET', /^\/admin\/v1\/dead-letters\/([^/]+)$/, async (_req, [id]) => {
      const deadLetter = options.deadLetters.get(parseInput(DeadLetterId, id, 'path.id'));
      if (!deadLetter) throw new HttpError(404, 'not_found', 'no such dead letter');
      return [200, { deadLetter, actions: options.deadLetters.actionsOf(deadLetter.id) }];
    }],
    ['POST', /^\/admin\/v1\/dead-letters\/([^/]+)\/replay$/, async (req, [id]) => {
      const deadLetterId = parseInput(DeadLetterId, id, 'path.id');
      const idempotencyKey = idempotencyKeyOf(req);
      const body = parseInput(ReplayBody, await readJson(req), 'body', 422);
      return remediationReply(await options.remediation.replay(deadLetterId, { actor: body.actor, idempotencyKey }));
    }],
    ['POST', /^\/admin\/v1\/dead-letters\/([^/]+)\/discard$/, async (req, [id]) => {
      const deadLetterId = parseInput(DeadLetterId, id, 'path.id');
      const idempotencyKey = idempotencyKeyOf(req);
      const body = parseInput(DiscardBody, await readJson(req), 'body', 422);
      return remediationReply(await options.remediation.discard(deadLetterId, { ...body, idempotencyKey }));
    }],
    ['POST', /^\/admin\/v1\/endpoints\/([^/]+)\/(pause|resume)$/, async (_req, [id, verb]) => {
      const endpointId = parseInput(EndpointId, id, 'path.id');
      if (!options.endpoints.setPaused(endpointId, verb === 'pause'))
        throw new HttpError(404, 'not_found', `no endpoint "${endpointId}"`);
      return [200, options.endpoints.describe().find((e) => e.id === endpointId)];
    }],
    ...flowRoutes(options, idempotencyKeyOf),
  ];

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!options.token)
      throw new HttpError(503, 'admin_disabled', 'the admin API is disabled until CROSSDOCK_ADMIN_TOKEN is set');
    if (!bearerMatches(req.headers.authorization, options.token)) {
      res.setHeader('www-authenticate', 'Bearer realm="crossdock-admin"');
      throw new HttpError(401, 'unauthorized', 'a valid bearer service token is required');
    }
    const url = new URL(req.url ?? '/', 'http://admin.invalid');
    const matching = routes.filter(([, pattern]) => pattern.test(url.pathname));
    if (matching.length === 0) throw new HttpError(404, 'not_found', `no such resource ${url.pathname}`);
    const route = matching.find(([method]) => method === req.method);
    if (!route) {
      res.setHeader('allow', matching.map(([m]) => m).join(', '));
      throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here`);
    }
    const params = route[1].exec(url.pathname)!.slice(1).map(decodeURIComponent);
    const [status, body] = await route[2](req, params, url.searchParams);
    sendJson(res, status, body);
  }

  const server: Server = createServer((req, res) => {
    dispatch(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) sendJson(res, error.status, { error: error.code, message: error.message, issues: error.issues });
      else sendJson(res, 500, { error: 'internal', message: 'internal error' });
    });
  });
  return listen(server, options.host, options.port);
}

/** Payload excerpts the transaction view shows: enough to recognise a message, never a whole file. */
const EXCERPT_CHARS = 2_000;

function flowRoutes(options: AdminApiOptions, idempotencyKeyOf: (req: IncomingMessage) => string): Array<[string, RegExp, Handler]> {
  const flows = () => {
    if (!options.flows) throw new HttpError(404, 'not_found', 'this runtime runs no business flows');
    return options.flows;
  };
  return [
    ['GET', /^\/admin\/v1\/transactions\/([^/]+)$/, async (_req, [id]) => {
      const correlationId = parseInput(CorrelationId, id, 'path.correlationId');
      const order = options.flows?.order(correlationId);
      const messages = (options.ledger?.byCorrelation(correlationId) ?? []).map(({ rawPayload, ...entry }) => ({
        ...entry,
        payloadExcerpt: rawPayload.slice(0, EXCERPT_CHARS),
        payloadBytes: Buffer.byteLength(rawPayload),
      }));
      if (!order && messages.length === 0) throw new HttpError(404, 'not_found', `the runtime knows nothing about ${correlationId}`);
      return [200, { correlationId, order: order ?? null, messages }];
    }],
    ['POST', /^\/admin\/v1\/transactions\/([^/]+)\/reroute$/, async (req, [id]) => {
      const orderId = parseInput(CorrelationId, id, 'path.correlationId');
      const requestId = idempotencyKeyOf(req);
      const body = parseInput(RerouteBody, await readJson(req), 'body', 422);
      const result = await flows().reroute({ orderId, toWarehouseId: body.warehouseId, reason: body.reason, actor: body.actor, requestId });
      if (!result.accepted) throw new HttpError(result.refusal.status, result.refusal.code, result.refusal.message);
      return [202, { outcome: result.duplicate ? 'repeated' : 'accepted', orderId, from: result.from, to: result.to }];
    }],
    ['POST', /^\/admin\/v1\/reconciliation\/runs$/, async (req) => {
      const body = parseInput(ReconcileBody, await readJson(req), 'body', 422);
      return [202, await flows().reconcile(body.actor, body.correct)];
    }],
    ['GET', /^\/admin\/v1\/reconciliation\/runs$/, async () => [200, { runs: flows().reconciliations(20) }]],
    ['GET', /^\/admin\/v1\/reconciliation\/runs\/([^/]+)$/, async (_req, [id]) => {
      const run = flows().reconciliation(parseInput(RunId, id, 'path.runId'));
      if (!run) throw new HttpError(404, 'not_found', 'no such reconciliation run');
      return [200, run];
    }],
  ];
}
