import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { parseOrThrow } from '../../canonical';
import { AuthFailureError, ValidationError } from '../../errors';
import type { WarehouseEvent } from '../warehouse-adapter';
import type { MappingTables } from '../warehouse-mapping';
import { webhookEvents } from './mapping';
import { WmsWebhook } from './wire';

/** A verified, decoded webhook delivery. */
export interface VerifiedWebhook {
  /** `webhook-id`: the same on every retry of one message, so it is the de-duplication key. */
  id: string;
  topic: WmsWebhook['type'];
  events: WarehouseEvent[];
}

/**
 * Verifies Standard Webhooks signatures (`webhook-id`, `webhook-timestamp`, `webhook-signature`
 * over `id.timestamp.body`, ±5 min tolerance, several `v1,` signatures allowed for key rotation)
 * and decodes the payload. A bad signature or a stale timestamp is an `AuthFailureError` (answer
 * 401: the sender must not believe it was accepted); a well-signed but malformed body is a
 * `ValidationError` (answer 2xx after keeping it, since retrying will not fix it).
 */
export class WebhookDecoder {
  readonly #webhook: Webhook;

  constructor(
    secret: string,
    private readonly tables: MappingTables,
  ) {
    this.#webhook = new Webhook(secret);
  }

  decode(headers: Record<string, string | string[] | undefined>, rawBody: string): VerifiedWebhook {
    const flat: Record<string, string> = {};
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const value = headers[name];
      if (typeof value !== 'string' || value === '') throw new AuthFailureError(`webhook without ${name} header`, { header: name });
      flat[name] = value;
    }
    try {
      this.#webhook.verify(rawBody, flat);
    } catch (error) {
      if (error instanceof WebhookVerificationError)
        throw new AuthFailureError(`webhook ${flat['webhook-id']} refused: ${error.message}`, { webhookId: flat['webhook-id'] }, { cause: error });
      throw new ValidationError(`webhook ${flat['webhook-id']} is not JSON`, { webhookId: flat['webhook-id'] }, { cause: error });
    }
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch (error) {
      throw new ValidationError(`webhook ${flat['webhook-id']} is not JSON`, { webhookId: flat['webhook-id'] }, { cause: error });
    }
    const hook = parseOrThrow(WmsWebhook, json, `webhook ${flat['webhook-id']}`);
    return { id: flat['webhook-id'], topic: hook.type, events: webhookEvents(hook, this.tables) };
  }
}
