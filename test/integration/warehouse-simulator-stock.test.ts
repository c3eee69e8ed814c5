import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventTypes, Order } from '../../src/lib/integration/canonical';
import { Edi3plAdapter } from '../../src/lib/integration/connectors/edi-3pl';
import ediMapping from '../../src/lib/integration/connectors/edi-3pl/fixtures/mapping.json';
import type { WarehouseAdapter } from '../../src/lib/integration/connectors/warehouse-adapter';
import { WarehouseMapping } from '../../src/lib/integration/connectors/warehouse-mapping';
import { WmsBatchAdapter } from '../../src/lib/integration/connectors/wms-batch';
import batchMapping from '../../src/lib/integration/connectors/wms-batch/fixtures/mapping.json';
import { WmsRestAdapter } from '../../src/lib/integration/connectors/wms-rest';
import restMapping from '../../src/lib/integration/connectors/wms-rest/fixtures/mapping.json';
import { MessageLedger } from '../../src/lib/integration/delivery';
import { openRuntimeDb } from '../../src/lib/integration/store/runtime-db';
import { startEdi3plSimulator } from '../../simulators/edi-3pl';
import { startWmsBatchSimulator } from '../../simulators/wms-batch';
import { startWmsRestSimulator } from '../../simulators/wms-rest';
import { anOrder } from '../factories/canonical';

/**
 * The warehouse simulators keep a count Odoo can be reconciled with: they never ship stock they
 * do not have, and a sellable return goes back on hand (as Odoo's return receipt puts it back in
 * stock) while a damaged one does not. Each starts with less HX-1001 than the order asks for
 * (24 units): 10 units, or one case of 12 where the warehouse counts in cases.
 */
interface Dialect {
  adapter: WarehouseAdapter;
  control: string;
  /** One partner unit of HX-1001 in canonical units. */
  unit: string;
  cleanup(): Promise<void>;
}

const secret = `whsec_${Buffer.from('stock-consistency-secret-0123').toString('base64')}`;

const dialects: Record<string, () => Promise<Dialect>> = {
  async 'wms-rest'() {
    const sim = await startWmsRestSimulator({ port: 0, apiKey: 'k', webhookSecret: secret, stock: { 'HX-1001': 10, 'HX-2040': 100 } });
    const adapter = new WmsRestAdapter({ baseUrl: sim.url, auth: { kind: 'api_key', apiKey: 'k' }, webhookSecret: secret, mapping: WarehouseMapping.parse(restMapping) });
    return { adapter, control: sim.url, unit: '1', cleanup: () => sim.close() };
  },
  async 'wms-batch'() {
    const dir = mkdtempSync(join(tmpdir(), 'stock-batch-'));
    const sim = await startWmsBatchSimulator({ dir, sftpPort: 0, controlPort: 0, username: 'u', password: 'p', stock: { 'NWH-100100': 1, '0004711': 25 } });
    const db = openRuntimeDb(join(dir, 'runtime.db'));
    const sftp = { host: '127.0.0.1', port: sim.sftpPort, username: 'u', password: 'p' };
    const adapter = new WmsBatchAdapter({ sftp, clientCode: 'CROSSDOCK', mapping: WarehouseMapping.parse(batchMapping) }, { ledger: new MessageLedger(db) });
    return { adapter, control: sim.controlUrl, unit: '12', cleanup: async () => (await sim.close(), db.close(), rmSync(dir, { recursive: true, force: true })) };
  },
  async 'edi-3pl'() {
    const dir = mkdtempSync(join(tmpdir(), 'stock-edi-'));
    const sim = await startEdi3plSimulator({ dir, sftpPort: 0, controlPort: 0, username: 'u', password: 'p', stock: { '10001001': { qty: 10, uom: 'EA' }, '10002040': { qty: 30, uom: 'CA' } } });
    const db = openRuntimeDb(join(dir, 'runtime.db'));
    const sftp = { host: '127.0.0.1', port: sim.sftpPort, username: 'u', password: 'p' };
    const adapter = new Edi3plAdapter({ sftp, ourId: 'CROSSDOCK', partnerId: 'EDI3PL', mapping: WarehouseMapping.parse(ediMapping) }, { ledger: new MessageLedger(db), db });
    return { adapter, control: sim.controlUrl, unit: '1', cleanup: async () => (await sim.close(), db.close(), rmSync(dir, { recursive: true, force: true })) };
  },
};

async function control(base: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}/_sim/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`/_sim/${path} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

for (const [name, create] of Object.entries(dialects)) {
  describe(`the ${name} simulator's stock`, () => {
    let w: Dialect;
    afterEach(() => w?.cleanup());

    const onHand = async () => (await w.adapter.fetchInventory()).find((p) => p.sku === 'HX-1001')?.onHand;

    it('ships no more than it holds, short, and takes sellable returns back on hand but not damaged ones', async () => {
      w = await create();
      await w.adapter.sendOrder(Order.parse(anOrder({ orderId: 'S20001' })));
      await control(w.control, 'process', {});
      await control(w.control, 'fulfil', { orderId: 'S20001' });
      const shipped = (await w.adapter.receive()).events.filter((e) => e.correlationId === 'S20001');
      expect(shipped.map((e) => e.type)).toContain(eventTypes.orderShortShipped);
      expect(await onHand()).toBe('0');

      await control(w.control, 'return', { orderId: 'S20001' });
      expect(await onHand()).toBe(w.unit);
      await control(w.control, 'return', { orderId: 'S20001', condition: 'damaged' });
      expect(await onHand()).toBe(w.unit);

      const returns = (await w.adapter.receive()).events.filter((e) => e.type === eventTypes.returnReceived);
      expect(returns.map((e) => (e.data as { lines: { condition: string }[] }).lines[0].condition)).toEqual(['sellable', 'damaged']);
    });
  });
}
