import { z } from 'zod';
import type { OdooInstance } from './instance';
import { read } from './orm/records';
import type { Env } from './orm/types';

/**
 * An automation rule with a "Send Webhook Notification" action, as Odoo 17+ runs it: one POST per
 * created or written record of the model, JSON with sorted keys, `_action`/`_id`/`_model` plus the
 * chosen fields read with `load=None` (many2one as bare ids), a 1 s timeout, no auth, no retry.
 */
export const WebhookRule = z
  .object({
    url: z.url(),
    model: z.string().min(1),
    fields: z.array(z.string()).default([]),
    /** The server action's name; `_action` is `<name>(#<id>)`. */
    name: z.string().default('Notify Crossdock'),
  })
  .strict();
export type WebhookRule = z.infer<typeof WebhookRule>;

export class OutgoingWebhooks {
  private rules: (WebhookRule & { id: number })[];

  constructor(private readonly odoo: OdooInstance) {
    this.rules = JSON.parse(odoo.store.meta('webhook_rules') ?? '[]');
    odoo.onCommit = (touched) => this.fire(touched);
  }

  /** Adds a rule (persisted with the database); the model and fields are checked like Odoo's form would. */
  add(rule: WebhookRule): number {
    const model = this.odoo.model(rule.model);
    for (const field of rule.fields) if (field !== 'id' && !(field in model.fields) && !['write_date', 'create_date', 'display_name'].includes(field)) throw new Error(`unknown field ${rule.model}.${field}`);
    const id = (this.rules.at(-1)?.id ?? 0) + 1;
    this.rules.push({ ...rule, id });
    this.odoo.store.setMeta('webhook_rules', JSON.stringify(this.rules));
    return id;
  }

  list() {
    return this.rules;
  }

  private fire(touched: Map<string, number[]>): void {
    for (const rule of this.rules) {
      const ids = touched.get(rule.model);
      if (!ids) continue;
      const env: Env = { store: this.odoo.store, models: this.odoo.models, uid: this.odoo.uid, context: {}, now: '', counters: this.odoo.counters, version: this.odoo.version };
      const rows = read(env, this.odoo.model(rule.model), ids, rule.fields.length ? rule.fields : ['id'], null);
      for (const row of rows) {
        const payload = { _action: `${rule.name}(#${rule.id})`, _id: row.id, _model: rule.model, ...row };
        const body = JSON.stringify(Object.fromEntries(Object.entries(payload).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
        // Like Odoo: fire and forget, errors are only logged (here: dropped).
        fetch(rule.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(1_000) }).catch(() => undefined);
      }
    }
  }
}
