import type { Config } from '../../config';
import { MessageLedger } from '../delivery';
import { createFlows, type Flows } from '../flows';
import { openRuntimeDb, runtimeDbPath } from '../store/runtime-db';
import { loadTopology } from '../topology';
import { openConnectors, type Connectors } from './connectors';
import { startRuntime, type Runtime, type RuntimeOptions } from './runtime';

/** A runtime running the business flows against the configured Odoo and warehouses. */
export interface Integration {
  runtime: Runtime;
  flows: Flows;
  connectors: Connectors;
  /** Where the webhook port listens (warehouses that push post to `<url>/webhooks/<warehouse id>`). */
  webhookUrl?: string;
  stop(): Promise<void>;
}

export interface IntegrationOptions {
  config: Pick<Config, 'runtime' | 'odoo' | 'warehouses' | 'paths'>;
  /** Reports a failed poll round; the loop carries on. */
  onError?: (what: string, error: unknown) => void;
  /** Skip the reconciliation schedule (tests run it on request). */
  schedule?: boolean;
  leaseMs?: number;
  graceMs?: number;
  /** Retry budgets per service class (tests shorten them); the defaults otherwise. */
  classes?: RuntimeOptions['classes'];
  /** This process's span export buffer, for the admin API's health. */
  telemetry?: RuntimeOptions['telemetry'];
}

/**
 * Composes a working integration: the topology, the partner connectors, the flows, the runtime
 * (bus, workers, admin API) and the flows' sources (Odoo poll, warehouse inboxes, webhook port,
 * reconciliation schedule). What `crossdock runtime` runs; tests and benchmarks run it in-process.
 */
export async function startIntegration(options: IntegrationOptions): Promise<Integration> {
  const { config } = options;
  const topology = loadTopology(config.runtime.topologyFile);
  const db = openRuntimeDb(runtimeDbPath(config.paths.dataDir));
  let connectors: Connectors | undefined;
  let runtime: Runtime | undefined;
  try {
    connectors = openConnectors({ odoo: config.odoo, warehouses: config.warehouses, topology, db, ledger: new MessageLedger(db) });
    const flows = createFlows({ odoo: connectors.odoo, warehouses: connectors.warehouses, webhookDecoders: connectors.webhookDecoders, overdueChecks: connectors.overdueChecks, topology, db });
    runtime = await startRuntime({
      config: config.runtime,
      dataDir: config.paths.dataDir,
      db,
      routes: flows.routes,
      endpoints: flows.endpoints,
      flows: flows.admin,
      leaseMs: options.leaseMs,
      graceMs: options.graceMs,
      classes: options.classes,
      telemetry: options.telemetry,
    });
    const started = await flows.start(runtime, {
      odooPollMs: config.runtime.odooPollMs,
      webhooks: { host: config.runtime.host, port: config.runtime.webhookPort },
      odooWebhookSecret: config.odoo.webhookSecret,
      reconcileCron: options.schedule === false ? undefined : config.runtime.reconcileCron,
      onError: options.onError,
      leaseMs: config.runtime.sourceLeaseMs,
    });
    const rt = runtime;
    const cx = connectors;
    return {
      runtime: rt,
      flows,
      connectors: cx,
      webhookUrl: started.webhookUrl,
      async stop() {
        await flows.stop();
        await rt.stop();
        await cx.close();
        db.close();
      },
    };
  } catch (error) {
    await runtime?.stop().catch(() => undefined);
    await connectors?.close();
    db.close();
    throw error;
  }
}
