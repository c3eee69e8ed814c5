import type { OdooPort } from '../../connectors/odoo';
import type { DeadLetterStore } from '../../delivery';
import type { FlowContext } from '../context';
import { takeRelease } from '../order-release';
import { quarantine } from './quarantine';

/**
 * Takes newly released sales orders from Odoo (incremental by `write_date`, see the connector)
 * and starts each one's journey. The cursor moves only after every order was published, so a
 * crash re-reads them and the ingress drops those already taken (keyed by the Odoo record id).
 * An order that cannot be mapped (no SKU, no address) is kept as a dead letter with why.
 */
export async function takeReleasedOrders(context: FlowContext, odoo: OdooPort, deadLetters: DeadLetterStore): Promise<number> {
  const changes = await odoo.pullReleasedOrders();
  for (const item of changes.items) await takeRelease(context, item.order, `odoo:sale.order:${item.odooId}:released`);
  for (const rejected of changes.rejected)
    quarantine(deadLetters, context.source, { partner: 'odoo', externalId: `sale.order:${rejected.odooId}`, correlationId: rejected.name, error: rejected.error, rawPayload: JSON.stringify({ model: 'sale.order', id: rejected.odooId, name: rejected.name }) });
  changes.commit();
  return changes.items.length;
}
