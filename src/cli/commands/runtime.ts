import { CommandError } from '../usage';
import type { Command } from './index';

export const runtimeCommand: Command = {
  summary: 'Run the integration runtime (bus workers, connectors, admin API)',
  description:
    'Runs the middleware runtime: the durable bus (embedded SQLite, or NATS JetStream when NATS_URL\nis set), the connectors, the inbound webhooks on CROSSDOCK_WEBHOOK_PORT and the admin API on\nCROSSDOCK_ADMIN_PORT.',
  async run() {
    throw new CommandError('the runtime is not part of this build yet');
  },
};
