import { startTracing, type Tracing } from '../../lib/collectors/tracing';
import { collectorEndpoint } from '../../lib/config';
import { startIntegration } from '../../lib/integration/runtime';
import { untilSignal } from '../until-signal';
import type { Command } from './index';

export const runtimeCommand: Command = {
  summary: 'Run the integration runtime (bus workers, admin API)',
  description:
    'Runs the middleware runtime: the business flows between Odoo and the warehouses of\nCROSSDOCK_TOPOLOGY_FILE (Odoo polled every CROSSDOCK_ODOO_POLL_MS, webhooks on CROSSDOCK_WEBHOOK_PORT,\nreconciliation on CROSSDOCK_RECONCILE_CRON), the durable bus (embedded SQLite in CROSSDOCK_DATA_DIR/runtime.db, or\nNATS JetStream when NATS_URL is set), one worker pool per service class, and the admin API on\nCROSSDOCK_HOST:CROSSDOCK_ADMIN_PORT (refuses every request until CROSSDOCK_ADMIN_TOKEN is set).\nSpans go to the collector on CROSSDOCK_COLLECTOR_PORT. Stops gracefully on SIGINT or SIGTERM.',
  async run({ config }) {
    // Telemetry must never stop the runtime: an unreachable collector only loses spans.
    let tracing: Tracing | undefined;
    try {
      tracing = startTracing({
        serviceName: 'crossdock-runtime',
        component: 'runtime',
        endpoint: collectorEndpoint(config),
        bufferSpans: config.telemetry.exportBufferSpans,
        onDrop: (s) => console.error(`runtime   telemetry: the collector has been unreachable (${s.lastError ?? 'no answer'}); ${s.buffered} spans held, dropping the oldest beyond CROSSDOCK_EXPORT_BUFFER_SPANS`),
      });
    } catch (error) {
      console.error(`runtime   tracing disabled: ${(error as Error).message}`);
    }
    const integration = await startIntegration({ config, onError: throttledReport(), telemetry: tracing && (() => tracing!.stats()) });
    const { runtime } = integration;
    console.log(`runtime   bus ${runtime.bus.system}, admin API on ${runtime.admin.url}`);
    console.log(`runtime   topology ${config.runtime.topologyFile}: ${[...integration.connectors.warehouses.keys()].join(', ')}; Odoo ${config.odoo.url}`);
    if (integration.webhookUrl) console.log(`runtime   webhooks on ${integration.webhookUrl}/webhooks/<warehouse id>; reconciliation "${config.runtime.reconcileCron}"`);
    if (!config.runtime.adminToken) console.log('runtime   admin API refuses requests: CROSSDOCK_ADMIN_TOKEN is not set');
    const signal = await untilSignal();
    console.log(`runtime   stopping (${signal})`);
    await integration.stop();
    await Promise.race([tracing?.shutdown().catch(() => undefined), new Promise((r) => setTimeout(r, 3_000).unref())]);
    return 0;
  },
};

/**
 * A poll that keeps failing (a partner down for an hour) must not flood the log: each source's
 * failure is printed when it first happens or changes, then at most once a minute, and its
 * recovery is not silent either (the next different message replaces it).
 */
function throttledReport(): (what: string, error: unknown) => void {
  const last = new Map<string, { message: string; at: number }>();
  return (what, error) => {
    const message = error instanceof Error ? error.message : String(error);
    const previous = last.get(what);
    if (previous && previous.message === message && Date.now() - previous.at < 60_000) return;
    last.set(what, { message, at: Date.now() });
    console.error(`runtime   ${what}: ${message}`);
  };
}
