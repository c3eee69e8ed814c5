import type { RuntimeConfig } from '../../config';
import { startAdminApi, type AdminApi } from '../admin';
import { JetStreamBus, SqliteBus, type MessageBus } from '../bus';
import type { ServiceClass } from '../canonical/primitives';
import {
  AttemptLog,
  DeadLetterRemediation,
  DeadLetterStore,
  defaultServiceClasses,
  Dispatcher,
  EndpointRegistry,
  InboundDeduplicator,
  Ingress,
  MessageLedger,
  type EndpointPolicy,
  type Route,
  type ServiceClassPolicy,
} from '../delivery';
import type { FlowsAdmin } from '../flows';
import { openRuntimeDb, runtimeDbPath, type RuntimeDb } from '../store/runtime-db';

/** What a runtime process runs. */
export interface RuntimeOptions {
  config: Pick<RuntimeConfig, 'host' | 'adminPort' | 'natsUrl' | 'adminToken' | 'idempotencyWindowMs'> & Partial<Pick<RuntimeConfig, 'natsStream'>>;
  dataDir: string;
  /** The runtime database, when the caller opened it already (flows keep their state beside the bus); closed by the caller. */
  db?: RuntimeDb;
  /** The flows: one route per bus topic. */
  routes: Route[];
  /** Reroute, reconciliation and order lookups for the admin API, when flows run. */
  flows?: FlowsAdmin;
  /** Every partner endpoint handlers may call, with its limits. */
  endpoints?: Record<string, EndpointPolicy>;
  classes?: Readonly<Record<ServiceClass, ServiceClassPolicy>>;
  /** Lease without heartbeat, in ms; a crashed process's messages come back after this. @defaultValue 30000 */
  leaseMs?: number;
  /** On stop, how long running handlers may finish before their leases are released, in ms. @defaultValue 10000 */
  graceMs?: number;
  /** This process's span export buffer (held, delivered, dropped), for the admin API's health. */
  telemetry?: () => object;
}

/** A running runtime. */
export interface Runtime {
  bus: MessageBus;
  ingress: Ingress;
  /** Inbound idempotency keys (the webhook endpoints claim delivery ids here). */
  dedup: InboundDeduplicator;
  deadLetters: DeadLetterStore;
  remediation: DeadLetterRemediation;
  endpoints: EndpointRegistry;
  ledger: MessageLedger;
  admin: AdminApi;
  db: RuntimeDb;
  /** Graceful: stop the admin API, stop taking work, finish or release in-flight leases, close the bus. */
  stop(): Promise<void>;
}

/**
 * Composes the runtime: the bus (embedded SQLite in `$CROSSDOCK_DATA_DIR/runtime.db`, or
 * JetStream when `NATS_URL` is set), the per-class dispatcher, the dead-letter store, the ledger,
 * idempotency, and the admin API. Dead letters, the ledger and idempotency keys live in the
 * runtime database in both modes.
 */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const leaseMs = options.leaseMs ?? 30_000;
  const ownsDb = !options.db;
  const db = options.db ?? openRuntimeDb(runtimeDbPath(options.dataDir));
  const bus: MessageBus = options.config.natsUrl
    ? await JetStreamBus.connect({ url: options.config.natsUrl, leaseMs, stream: options.config.natsStream, subjectPrefix: options.config.natsStream?.toLowerCase() })
    : new SqliteBus({ db, leaseMs });
  const ordered = new Set(options.routes.filter((r) => r.orderedByCorrelation).map((r) => r.topic));
  const orderingKeyOf = (topic: string, envelope: { correlationid: string }) =>
    ordered.has(topic) ? envelope.correlationid : undefined;
  const deadLetters = new DeadLetterStore(db);
  const endpoints = new EndpointRegistry(db, options.endpoints ?? {});
  const remediation = new DeadLetterRemediation(deadLetters, bus, orderingKeyOf);
  const ledger = new MessageLedger(db);
  const dedup = new InboundDeduplicator(db, options.config.idempotencyWindowMs);
  const dispatcher = new Dispatcher({
    bus,
    routes: options.routes,
    endpoints,
    deadLetters,
    attempts: new AttemptLog(db),
    classes: options.classes ?? defaultServiceClasses,
    heartbeatMs: Math.max(100, Math.floor(leaseMs / 3)),
  });
  const pruner = setInterval(() => dedup.prune(), 600_000);
  pruner.unref();
  let admin: AdminApi;
  try {
    admin = await startAdminApi({
      host: options.config.host,
      port: options.config.adminPort,
      token: options.config.adminToken,
      bus,
      deadLetters,
      remediation,
      endpoints,
      flows: options.flows,
      ledger,
      deliveries: () => dispatcher.outcomes(),
      telemetry: options.telemetry,
    });
  } catch (error) {
    await bus.close();
    if (ownsDb) db.close();
    throw error;
  }
  dispatcher.start();
  return {
    bus,
    ingress: new Ingress(bus, dedup, ledger, orderingKeyOf),
    dedup,
    deadLetters,
    remediation,
    endpoints,
    ledger,
    admin,
    db,
    async stop() {
      clearInterval(pruner);
      await admin.close();
      await dispatcher.stop(options.graceMs ?? 10_000);
      await bus.close();
      if (ownsDb) db.close();
    },
  };
}
