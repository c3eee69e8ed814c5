import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InboundDeduplicator } from '../../delivery/idempotency';
import { AuthFailureError } from '../../errors';
import { Attr } from '../../../telemetry/conventions';
import { recordExceptionSpan } from '../../../telemetry/spans';
import type { AcceptEvents, RejectedMessage } from '../warehouse-adapter';
import type { WebhookDecoder } from './webhooks';

export interface WebhookEndpointOptions {
  decoder: WebhookDecoder;
  /** The runtime's persisted de-duplication; webhook ids are claimed under `scope`. */
  dedup: InboundDeduplicator;
  scope: string;
  /** Takes the decoded events durably (the runtime's ingress); throwing answers 503 so the WMS retries. */
  accept: AcceptEvents;
  /** Keeps a signed but undecodable delivery for review (dead letter, ledger). */
  reject: (message: RejectedMessage) => Promise<void> | void;
  /** Largest body accepted, in bytes. @defaultValue 1048576 */
  maxBodyBytes?: number;
}

/**
 * The inbound webhook endpoint for the REST WMS, as a node:http handler the runtime mounts on
 * its webhook port. Answers: 401 for a bad or stale signature (the sender must not believe it
 * was delivered), 204 when accepted or already seen (`webhook-id` is stable across retries), 202
 * for a signed but malformed body (kept via `reject`; retrying cannot fix it), 413 for an
 * oversized body, 503 when accepting failed (the key is released so the retry is taken).
 */
export function webhookEndpoint(options: WebhookEndpointOptions) {
  const limit = options.maxBodyBytes ?? 1_048_576;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        res.writeHead(413).end();
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const id = String(req.headers['webhook-id'] ?? '');
    let hook;
    try {
      hook = options.decoder.decode(req.headers, body);
    } catch (error) {
      if (error instanceof AuthFailureError) {
        // Raised for operators (a rotated secret, a forged sender): one exception per endpoint, its attempts counted.
        recordExceptionSpan('webhook signature rejected', { [Attr.correlationId]: options.scope, [Attr.warehouseId]: options.scope.replace(/^webhook:/, ''), 'crossdock.webhook.id': id.slice(0, 128) }, error);
        res.writeHead(401).end();
        return;
      }
      await options.reject({ externalId: id, error: error as Error, rawPayload: body });
      res.writeHead(202).end();
      return;
    }
    let claimed = false;
    try {
      if (options.dedup.claim(options.scope, hook.id, hook.id).status === 'duplicate') {
        res.writeHead(204).end();
        return;
      }
      claimed = true;
      await options.accept(hook.events);
    } catch (error) {
      // Not taken (the bus down, the data directory full): the sender keeps it and retries.
      if (claimed) options.dedup.release(options.scope, hook.id, hook.id);
      const message = `the runtime could not take this message now: ${(error as Error).message}`;
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '30' }).end(JSON.stringify({ error: 'unavailable', message }));
      return;
    }
    res.writeHead(204).end();
  };
}
