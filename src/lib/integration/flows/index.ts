import { Cron } from 'croner';
import { Lease } from '../../lease';
import type { UnitOfMeasure } from '../canonical';
import type { OdooPort } from '../connectors/odoo';
import type { WarehouseAdapter } from '../connectors/warehouse-adapter';
import type { WebhookDecoder } from '../connectors/wms-rest';
import type { EndpointPolicy, Route } from '../delivery';
import type { Runtime } from '../runtime';
import type { RuntimeDb } from '../store/runtime-db';
import type { Topology } from '../topology';
import type { FlowContext } from './context';
import { fulfilmentRoute } from './fulfilment';
import { inventoryRoute } from './inventory-sync';
import { OrderBook } from './order-book';
import { orderReleaseRoute } from './order-release';
import { reconciliationRequestedEvent, reconciliationRoute } from './reconciliation';
import { ReconciliationStore } from './reconciliation-store';
import { flowsAdmin, type FlowsAdmin } from './admin';
import { cancelRoute, rerouteRoute } from './reroute';
import { returnsRoute } from './returns';
import { takeReleasedOrders } from './sources/odoo-orders';
import { startPoller, type Poller } from './sources/poller';
import { RaiseOnce } from './sources/raise-once';
import { readWarehouseInbox, type OverdueCheck } from './sources/warehouse-inbox';
import { startWebhookServer, type WebhookServer } from './sources/webhook-server';
import { SkuVelocity } from './sku-velocity';
import { StockBook } from './stock-book';
import { topics } from './topics';

export { topics } from './topics';
export type { FlowContext } from './context';
export type { FlowsAdmin } from './admin';
export type { OrderAssignment } from './order-book';
export type { ReconciliationRun, Difference } from './reconciliation-store';

export interface FlowsOptions {
  odoo: OdooPort;
  /** One adapter per topology warehouse (wrapped with telemetry), by warehouse id. */
  warehouses: ReadonlyMap<string, WarehouseAdapter>;
  /** Per warehouse, what to look for that its protocol shows only by absence (an X12 3PL's overdue 997s). */
  overdueChecks?: ReadonlyMap<string, OverdueCheck>;
  /** Webhook decoders of the warehouses that push, by warehouse id. */
  webhookDecoders?: ReadonlyMap<string, WebhookDecoder>;
  topology: Topology;
  db: RuntimeDb;
  /** CloudEvents source of what the runtime publishes. @defaultValue 'crossdock-runtime' */
  source?: string;
  now?: () => Date;
}

export interface SourcesOptions {
  /** How often Odoo is asked for released orders, in ms. */
  odooPollMs: number;
  /** Where the webhook port listens; unset: no webhook port (polling only). */
  webhooks?: { host: string; port: number };
  /** The secret in the URL Odoo's automation rules post to (`/webhooks/odoo/<secret>`); unset: Odoo is only polled. */
  odooWebhookSecret?: string;
  /** Cron expression for scheduled reconciliation; unset: only on request. */
  reconcileCron?: string;
  /** Reports a failed poll round (the loop carries on). */
  onError?: (what: string, error: unknown) => void;
  /** How long the sources lease lasts without renewal, in ms (see `Lease`). @defaultValue 15000 */
  leaseMs?: number;
}

/** The business flows, ready to hand their routes to the runtime and, once it runs, to start their sources. */
export interface Flows {
  routes: Route[];
  /** Partner endpoints the flows call, each guarded by its own circuit breaker and limits. */
  endpoints: Record<string, EndpointPolicy>;
  context: FlowContext;
  admin: FlowsAdmin;
  /** Starts the sources (Odoo poll, warehouse inboxes, webhook port, reconciliation schedule) on a running runtime. */
  start(runtime: Runtime, options: SourcesOptions): Promise<{ webhookUrl?: string }>;
  /** Runs one round of every source now; tests and benchmarks use it instead of waiting for the timers. */
  pollNow(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Wires the flows (H5: each a small orchestration over the ports): order release, fulfilment and
 * confirmation, inventory sync, returns, reconciliation, reroute. Routes are handed to the
 * runtime first; `start` then connects the sources to its ingress.
 */
export function createFlows(options: FlowsOptions): Flows {
  const orders = new OrderBook(options.db);
  const stock = new StockBook(options.db);
  const reconciliations = new ReconciliationStore(options.db);
  const raised = new RaiseOnce(options.db);
  let resolveRuntime!: (runtime: Runtime) => void;
  const running = new Promise<Runtime>((resolve) => (resolveRuntime = resolve));
  let runtime: Runtime | undefined;

  const units: Record<string, UnitOfMeasure> = {};
  for (const w of options.topology.warehouses) for (const u of w.mapping.units) units[u.code] ??= u;

  const context: FlowContext = {
    odoo: options.odoo,
    warehouses: options.warehouses,
    topology: options.topology,
    orders,
    stock,
    velocity: new SkuVelocity({ linesPerHour: options.topology.fastMoverLinesPerHour, configured: options.topology.fastMovers, now: options.now && (() => options.now!().getTime()) }),
    units,
    mappedSkus: new Set(options.topology.warehouses.flatMap((w) => w.mapping.items.map((i) => i.sku))),
    source: options.source ?? 'crossdock-runtime',
    now: options.now ?? (() => new Date()),
    // Handlers may run before `start` hands over the runtime (the dispatcher starts with it); they wait.
    publish: async (topic, envelope) => (await running).ingress.accept(topic, envelope),
    downWarehouses: () => new Set((runtime?.endpoints.describe() ?? []).filter((e) => e.paused || e.circuit === 'open').map((e) => e.id)),
  };

  const endpoints: Record<string, EndpointPolicy> = { odoo: { timeoutMs: 30_000, maxConcurrent: 8, breakAfterFailures: 5, halfOpenAfterMs: 15_000 } };
  for (const w of options.topology.warehouses) endpoints[w.id] = { timeoutMs: 20_000, maxConcurrent: 8, breakAfterFailures: 5, halfOpenAfterMs: 15_000 };

  const pollers: Poller[] = [];
  let webhooks: WebhookServer | undefined;
  let schedule: Cron | undefined;
  let lease: Lease | undefined;

  const admin = flowsAdmin(context, reconciliations, () => lease?.status());

  const rounds: Array<() => Promise<void>> = [];

  return {
    routes: [
      orderReleaseRoute(context),
      fulfilmentRoute(context),
      rerouteRoute(context),
      cancelRoute(context),
      inventoryRoute(context),
      returnsRoute(context),
      reconciliationRoute(context, { store: reconciliations }),
    ],
    endpoints,
    context,
    admin,
    async start(rt, sources) {
      runtime = rt;
      resolveRuntime(rt);
      const report = sources.onError ?? (() => undefined);
      // Several runtimes may share this data directory and stream: only the lease holder polls.
      const held = lease = new Lease(options.db, { name: 'sources', ttlMs: sources.leaseMs ?? 15_000 }).start();
      const whileHeld = (round: () => Promise<void>) => async () => void (held.held && (await round()));
      const odooRound = async () => void (await takeReleasedOrders(context, options.odoo, rt.deadLetters));
      rounds.push(odooRound);
      const odooPoller = startPoller(sources.odooPollMs, whileHeld(odooRound), (e) => report('odoo', e));
      pollers.push(odooPoller);
      for (const w of options.topology.warehouses) {
        const adapter = options.warehouses.get(w.id);
        if (!adapter) continue;
        const check = options.overdueChecks?.get(w.id);
        const round = () => readWarehouseInbox(context, adapter, rt.deadLetters, check && { check, raised });
        rounds.push(round);
        pollers.push(startPoller(w.pollIntervalMs, whileHeld(round), (e) => report(w.id, e)));
      }
      if (sources.webhooks && (options.webhookDecoders?.size || sources.odooWebhookSecret))
        webhooks = await startWebhookServer({
          ...sources.webhooks,
          context,
          decoders: options.webhookDecoders ?? new Map(),
          dedup: rt.dedup,
          deadLetters: rt.deadLetters,
          odoo: sources.odooWebhookSecret
            ? { secret: sources.odooWebhookSecret, onChange: (model) => void (model === 'sale.order' && odooPoller.poke().catch((e: unknown) => report('odoo', e))) }
            : undefined,
        });
      if (sources.reconcileCron)
        schedule = new Cron(sources.reconcileCron, { protect: true }, async (job: Cron) => {
          // The run id is the scheduled minute: two runtimes scheduling the same run publish it once.
          const at = (job.currentRun() ?? new Date()).toISOString().replace(/[-:.]/g, '').slice(0, 13);
          await context.publish(topics.reconciliationRequested, reconciliationRequestedEvent(context, { runId: `RECON-${at}`, requestedBy: 'schedule', correct: true })).catch((e: unknown) => report('reconciliation schedule', e));
        });
      return { webhookUrl: webhooks?.url };
    },
    async pollNow() {
      for (const round of rounds) await round();
    },
    async stop() {
      schedule?.stop();
      await webhooks?.close();
      await Promise.all(pollers.map((p) => p.stop()));
      lease?.stop();
    },
  };
}
