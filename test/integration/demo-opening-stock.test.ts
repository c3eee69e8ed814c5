import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Decimal from 'decimal.js';
import { afterAll, describe, expect, it } from 'vitest';
import { Edi3plAdapter } from '../../src/lib/integration/connectors/edi-3pl';
import type { WarehouseAdapter } from '../../src/lib/integration/connectors/warehouse-adapter';
import { WmsBatchAdapter } from '../../src/lib/integration/connectors/wms-batch';
import { WmsRestAdapter } from '../../src/lib/integration/connectors/wms-rest';
import { MessageLedger } from '../../src/lib/integration/delivery';
import { openRuntimeDb } from '../../src/lib/integration/store/runtime-db';
import { loadTopology, type TopologyWarehouse } from '../../src/lib/integration/topology';
import { simulatorStock } from '../../simulators/demo/opening-stock';
import { startEdi3plSimulator } from '../../simulators/edi-3pl';
import { OdooInstance } from '../../simulators/odoo';
import { startWmsBatchSimulator } from '../../simulators/wms-batch';
import { startWmsRestSimulator } from '../../simulators/wms-rest';

/**
 * The demo world starts consistent: each warehouse simulator, started with the opening stock
 * `crossdock simulate` gives it and read back through its real adapter and the topology's
 * mapping, holds exactly what the Odoo simulator's seed holds in the paired Odoo warehouse.
 */
const topology = loadTopology('config/topology/topology.json');
const dir = mkdtempSync(join(tmpdir(), 'demo-stock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Odoo's opening quants: warehouse code → SKU → quantity in the product's unit. */
function odooStock(): Map<string, Map<string, string>> {
  const odoo = new OdooInstance({ dataDir: join(dir, 'odoo'), apiKey: 'opening-stock-key-0000000' });
  try {
    const byWarehouse = new Map<string, Map<string, string>>();
    for (const quant of odoo.store.rows('stock.quant')) {
      const location = odoo.store.get('stock.location', quant.location_id as number)!;
      const warehouse = String(odoo.store.get('stock.warehouse', location.warehouse_id as number)!.code);
      const sku = String(odoo.store.get('product.product', quant.product_id as number)!.default_code);
      const skus = byWarehouse.get(warehouse) ?? new Map<string, string>();
      skus.set(sku, new Decimal(skus.get(sku) ?? 0).plus(quant.quantity as number).toFixed());
      byWarehouse.set(warehouse, skus);
    }
    return byWarehouse;
  } finally {
    odoo.close();
  }
}

const secret = `whsec_${Buffer.from('opening-stock-webhook-secret').toString('base64')}`;

async function warehouseSimulator(w: TopologyWarehouse): Promise<{ adapter: WarehouseAdapter; close(): Promise<void> }> {
  const sub = join(dir, w.id);
  if (w.dialect === 'wms-rest') {
    const sim = await startWmsRestSimulator({ port: 0, apiKey: 'k', webhookSecret: secret, stock: simulatorStock.wmsRest(topology, w.id) });
    return { adapter: new WmsRestAdapter({ baseUrl: sim.url, auth: { kind: 'api_key', apiKey: 'k' }, webhookSecret: secret, mapping: w.mapping }), close: () => sim.close() };
  }
  const db = openRuntimeDb(join(dir, `${w.id}.db`));
  const deps = { ledger: new MessageLedger(db), db };
  const options = { dir: sub, sftpPort: 0, controlPort: 0, username: 'u', password: 'p', stock: simulatorStock.withUnits(topology, w.id) };
  const sim = w.dialect === 'wms-batch' ? await startWmsBatchSimulator(options) : await startEdi3plSimulator(options);
  const sftp = { host: '127.0.0.1', port: sim.sftpPort, username: 'u', password: 'p' };
  const adapter =
    w.dialect === 'wms-batch'
      ? new WmsBatchAdapter({ sftp, clientCode: 'CROSSDOCK', mapping: w.mapping }, deps)
      : new Edi3plAdapter({ sftp, ourId: 'CROSSDOCK', partnerId: 'EDI3PL', mapping: w.mapping }, deps);
  return {
    adapter,
    async close() {
      await sim.close();
      db.close();
    },
  };
}

describe('the demo world on its first day', () => {
  const odoo = odooStock();

  for (const w of topology.warehouses)
    it(`has ${w.id} hold what Odoo holds in ${w.odooCode}, SKU by SKU`, async () => {
      const sim = await warehouseSimulator(w);
      try {
        const positions = await sim.adapter.fetchInventory();
        const held = new Map(positions.map((p) => [p.sku, new Decimal(p.onHand).toFixed()]));
        expect(Object.fromEntries(held)).toEqual(Object.fromEntries(odoo.get(w.odooCode)!));
        expect(held.size).toBe(12);
      } finally {
        await sim.close();
      }
    });
});
