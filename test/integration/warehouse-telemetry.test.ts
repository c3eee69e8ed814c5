import { describe, expect, it } from 'vitest';
import { Order } from '../../src/lib/integration/canonical';
import { WarehouseMapping } from '../../src/lib/integration/connectors/warehouse-mapping';
import { withTelemetry } from '../../src/lib/integration/connectors/warehouse-telemetry';
import { WmsRestAdapter } from '../../src/lib/integration/connectors/wms-rest';
import mappingJson from '../../src/lib/integration/connectors/wms-rest/fixtures/mapping.json';
import { startWmsRestSimulator } from '../../simulators/wms-rest';
import { contractOrder } from '../contracts/warehouse-adapter.contract';
import { anOrder } from '../factories/canonical';
import { captureSpans } from '../support/spans';

const spans = captureSpans();
const secret = `whsec_${Buffer.from('telemetry-test-secret-0123456').toString('base64')}`;

describe('warehouse adapter telemetry', () => {
  it('marks sent_to_warehouse on a sent order, nests the HTTP call, and records a refused one with its category', async () => {
    const sim = await startWmsRestSimulator({ port: 0, apiKey: 'k', webhookSecret: secret, stock: { 'HX-1001': 100, 'HX-2040': 100 } });
    try {
      const adapter = withTelemetry(new WmsRestAdapter({ baseUrl: sim.url, auth: { kind: 'api_key', apiKey: 'k' }, webhookSecret: secret, mapping: WarehouseMapping.parse(mappingJson) }));
      await adapter.sendOrder(contractOrder('S90001'));
      await expect(adapter.sendOrder(Order.parse(anOrder({ orderId: 'S90002', lines: [{ lineId: '1', sku: 'NOPE', quantity: 1, uom: 'Units' }] })))).rejects.toThrow();
      const finished = spans.getFinishedSpans();
      const sent = finished.find((s) => s.name === 'send order wms-rest' && s.attributes['correlation.id'] === 'S90001')!;
      expect(sent.attributes).toMatchObject({ 'warehouse.id': 'wms-rest', 'process.name': 'order_fulfillment', 'process.milestone': 'sent_to_warehouse', 'crossdock.warehouse.duplicate': false });
      const http = finished.find((s) => s.name === 'POST /v1/orders')!;
      expect(http.parentSpanContext?.spanId).toBe(sent.spanContext().spanId);
      expect(http.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.response.status_code': 201, 'crossdock.endpoint.id': 'wms-rest' });
      const refused = finished.find((s) => s.attributes['correlation.id'] === 'S90002')!;
      expect(refused.attributes['process.milestone']).toBeUndefined();
      expect(refused.attributes['crossdock.exception.category']).toBe('master_data_mismatch');
    } finally {
      await sim.close();
    }
  });
});
