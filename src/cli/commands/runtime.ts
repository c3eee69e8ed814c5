import { startTracing } from '../../lib/collectors/tracing';
import { collectorEndpoint } from '../../lib/config';
import { startRuntime } from '../../lib/integration/runtime';
import { untilSignal } from '../until-signal';
import type { Command } from './index';

export const runtimeCommand: Command = {
  summary: 'Run the integration runtime (bus workers, admin API)',
  description:
    'Runs the middleware runtime: the durable bus (embedded SQLite in CROSSDOCK_DATA_DIR/runtime.db, or\nNATS JetStream when NATS_URL is set), one worker pool per service class, and the admin API on\nCROSSDOCK_HOST:CROSSDOCK_ADMIN_PORT (refuses every request until CROSSDOCK_ADMIN_TOKEN is set).\nSpans go to the collector on CROSSDOCK_COLLECTOR_PORT. Stops gracefully on SIGINT or SIGTERM.',
  async run({ config }) {
    // Telemetry must never stop the runtime: an unreachable collector only loses spans.
    let tracing: { shutdown(): Promise<void> } | undefined;
    try {
      tracing = startTracing({
        serviceName: 'crossdock-runtime',
        component: 'runtime',
        endpoint: collectorEndpoint(config),
      });
    } catch (error) {
      console.error(`runtime   tracing disabled: ${(error as Error).message}`);
    }
    // Flows register their routes here as they are built (issue by issue); until then the
    // runtime dead-letters messages on topics nobody handles instead of dropping them.
    const runtime = await startRuntime({ config: config.runtime, dataDir: config.paths.dataDir, routes: [] });
    console.log(`runtime   bus ${runtime.bus.system}, admin API on ${runtime.admin.url}`);
    if (!config.runtime.adminToken) console.log('runtime   admin API refuses requests: CROSSDOCK_ADMIN_TOKEN is not set');
    const signal = await untilSignal();
    console.log(`runtime   stopping (${signal})`);
    await runtime.stop();
    await Promise.race([tracing?.shutdown().catch(() => undefined), new Promise((r) => setTimeout(r, 3_000).unref())]);
    return 0;
  },
};
