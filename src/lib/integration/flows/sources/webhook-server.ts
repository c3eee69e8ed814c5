import { createServer, type Server } from 'node:http';
import { listen, type Listening } from '../../admin/http';
import { odooWebhookHandler } from '../../connectors/odoo';
import { webhookEndpoint, type WebhookDecoder } from '../../connectors/wms-rest';
import type { DeadLetterStore, InboundDeduplicator } from '../../delivery';
import type { FlowContext } from '../context';
import { quarantine } from './quarantine';
import { acceptWarehouseEvents } from './warehouse-events';

export type WebhookServer = Listening;

/**
 * The runtime's inbound webhook port: `POST /webhooks/<warehouse id>` for every warehouse that
 * pushes (the REST WMS, Standard Webhooks). Signatures are checked, repeats dropped by
 * `webhook-id`, undecodable bodies kept as dead letters; see `webhookEndpoint` for the answers.
 */
export async function startWebhookServer(options: {
  host: string;
  port: number;
  context: FlowContext;
  /** The signature checker and decoder of each warehouse that pushes, by warehouse id. */
  decoders: ReadonlyMap<string, WebhookDecoder>;
  dedup: InboundDeduplicator;
  deadLetters: DeadLetterStore;
  /**
   * Odoo's automation-rule webhooks (`/webhooks/odoo/<secret>`): a hint that a record changed,
   * answered by reading now instead of at the next poll. Polling stays the safety net.
   */
  odoo?: { secret: string; onChange(model: string): void };
}): Promise<WebhookServer> {
  const handlers = new Map<string, ReturnType<typeof webhookEndpoint>>();
  for (const [warehouseId, decoder] of options.decoders) {
    handlers.set(
      `/webhooks/${warehouseId}`,
      webhookEndpoint({
        decoder,
        dedup: options.dedup,
        scope: `webhook:${warehouseId}`,
        accept: acceptWarehouseEvents(options.context),
        reject: (message) => quarantine(options.deadLetters, options.context.source, { partner: warehouseId, ...message }),
      }),
    );
  }
  const odoo = options.odoo && odooWebhookHandler({ secret: options.odoo.secret, onHint: (hint) => options.odoo!.onChange(hint.model) });
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://webhooks.invalid').pathname;
    const handler = odoo && path.startsWith('/webhooks/odoo/') ? odoo : handlers.get(path);
    if (!handler) return void res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not_found', message: `no webhook endpoint ${path}` }));
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
    handler(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  return listen(server, options.host, options.port);
}

