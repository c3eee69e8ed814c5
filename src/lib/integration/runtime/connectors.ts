import type { OdooConfig, WarehousesConfig } from '../../config';
import { Edi3plAdapter } from '../connectors/edi-3pl';
import { OdooConnector } from '../connectors/odoo';
import type { WarehouseAdapter } from '../connectors/warehouse-adapter';
import { withTelemetry } from '../connectors/warehouse-telemetry';
import { WmsBatchAdapter } from '../connectors/wms-batch';
import { WmsRestAdapter, type WebhookDecoder } from '../connectors/wms-rest';
import type { MessageLedger } from '../delivery';
import type { IntegrationError } from '../errors';
import type { RuntimeDb } from '../store/runtime-db';
import type { Topology, TopologyWarehouse } from '../topology';

/** The partner systems a runtime talks to, built from the topology and the secrets in the environment. */
export interface Connectors {
  odoo: OdooConnector;
  /** Telemetry-wrapped adapters by warehouse id. */
  warehouses: Map<string, WarehouseAdapter>;
  webhookDecoders: Map<string, WebhookDecoder>;
  /** Overdue acknowledgements to look for, by warehouse id (the X12 3PL's 997s). */
  overdueChecks: Map<string, () => IntegrationError[]>;
  close(): Promise<void>;
}

/**
 * Opens the Odoo connector and one adapter per topology warehouse. A warehouse whose dialect
 * needs a secret that is not configured stops the runtime at start with the variable named.
 */
export function openConnectors(options: { odoo: OdooConfig; warehouses: WarehousesConfig; topology: Topology; db: RuntimeDb; ledger: MessageLedger }): Connectors {
  const { odoo: o } = options;
  if (!o.apiKey) throw new Error('ODOO_API_KEY is not set: the runtime cannot talk to Odoo without it');
  const odoo = new OdooConnector({ endpoint: { url: o.url, database: o.database, login: o.login, apiKey: o.apiKey, timeoutMs: o.timeoutMs }, version: o.version, db: options.db, overlapSeconds: o.overlapSeconds });
  const warehouses = new Map<string, WarehouseAdapter>();
  const webhookDecoders = new Map<string, WebhookDecoder>();
  const overdueChecks = new Map<string, () => IntegrationError[]>();
  for (const w of options.topology.warehouses) {
    const adapter = openAdapter(w, options);
    if (adapter instanceof WmsRestAdapter) webhookDecoders.set(w.id, adapter.webhooks);
    if (adapter instanceof Edi3plAdapter) overdueChecks.set(w.id, () => adapter.overdueAcknowledgements());
    warehouses.set(w.id, withTelemetry(adapter));
  }
  return {
    odoo,
    warehouses,
    webhookDecoders,
    overdueChecks,
    async close() {
      await Promise.allSettled([...warehouses.values()].map((a) => a.close()));
    },
  };
}

function openAdapter(w: TopologyWarehouse, options: { warehouses: WarehousesConfig; db: RuntimeDb; ledger: MessageLedger }): WarehouseAdapter {
  const config = options.warehouses;
  const need = (value: string | undefined, name: string) => {
    if (!value) throw new Error(`${name} is not set: warehouse ${w.id} (${w.dialect}) needs it`);
    return value;
  };
  switch (w.dialect) {
    case 'wms-rest': {
      const c = config.wmsRest;
      const auth = c.oauth2 ? { kind: 'oauth2' as const, ...c.oauth2 } : { kind: 'api_key' as const, apiKey: need(c.apiKey, 'WMS_REST_API_KEY') };
      return new WmsRestAdapter({ baseUrl: c.url, auth, webhookSecret: need(c.webhookSecret, 'WMS_REST_WEBHOOK_SECRET'), mapping: w.mapping });
    }
    case 'wms-batch': {
      const c = config.wmsBatch;
      return new WmsBatchAdapter({ sftp: { ...c.sftp, password: need(c.sftp.password, 'WMS_BATCH_SFTP_PASSWORD') }, clientCode: c.clientCode, mapping: w.mapping }, { ledger: options.ledger });
    }
    case 'edi-3pl': {
      const c = config.edi3pl;
      return new Edi3plAdapter(
        { sftp: { ...c.sftp, password: need(c.sftp.password, 'EDI_3PL_SFTP_PASSWORD') }, ourId: c.ourId, partnerId: c.partnerId, usage: c.usage, ackSlaMs: c.ackSlaMs, mapping: w.mapping },
        { ledger: options.ledger, db: options.db },
      );
    }
  }
}
