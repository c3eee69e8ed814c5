import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';

/**
 * The body of an Odoo 17+ "Send Webhook Notification" action: `_model`, `_id`, `_action` and
 * the fields the rule chose, read with `load=None` (many2one as bare ids). The values are a hint,
 * not the truth: in 17/18 Odoo posts before its transaction commits (and even when it later rolls
 * back), so the receiver re-reads through RPC; polling stays the safety net.
 */
export const OdooWebhookPayload = z.object({ _model: z.string().min(1), _id: z.number().int().positive(), _action: z.string().optional() }).passthrough();

/** What a webhook tells: this record changed, go and read it. */
export interface OdooChangeHint {
  model: string;
  id: number;
  /** The fields Odoo sent (unverified). */
  fields: Record<string, unknown>;
}

export interface OdooWebhookOptions {
  /** The shared secret, in the URL path (`.../<secret>`, what Odoo's action can carry) or the `X-Odoo-Webhook-Secret` header (a proxy's). */
  secret: string;
  onHint(hint: OdooChangeHint): void;
}

const equalSecrets = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * A Node request handler for Odoo's outgoing webhooks. Answers like Odoo's own `/web/hook`:
 * `200 {"status":"ok"}`, `404 {"status":"error"}` for a wrong secret (nothing to learn from it),
 * `400 {"status":"error"}` for a body that is not Odoo's payload.
 */
export function odooWebhookHandler(options: OdooWebhookOptions) {
  if (options.secret.length < 16) throw new RangeError('the Odoo webhook secret must be at least 16 characters');
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const answer = (status: number, value: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: value }));
    };
    const pathSecret = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname.split('/').at(-1) ?? '');
    const headerSecret = String(req.headers['x-odoo-webhook-secret'] ?? '');
    if (req.method !== 'POST' || !(equalSecrets(pathSecret, options.secret) || equalSecrets(headerSecret, options.secret))) return answer(404, 'error');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let payload;
    try {
      payload = OdooWebhookPayload.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    } catch {
      return answer(400, 'error');
    }
    if (!payload.success) return answer(400, 'error');
    const { _model, _id, _action, ...fields } = payload.data;
    void _action;
    options.onHint({ model: _model, id: _id, fields });
    answer(200, 'ok');
  };
}
