import { describe, expect, it } from 'vitest';
import { Order, UnitOfMeasure } from '../canonical';
import { anOrder } from '../../../../test/factories/canonical';
import { captureSpans } from '../../../../test/support/spans';
import { defineRoutes } from './route-definition';
import { routeOrder } from './traced-router';

describe('routeOrder', () => {
  it('records the decision, its reason and the alternatives on a span', async () => {
    const spans = captureSpans();
    const routes = defineRoutes([
      { id: 'midwest', warehouseId: 'wms-batch', countries: ['US'], regions: ['OH'] },
      { id: 'west', warehouseId: 'wms-rest', countries: ['US'], regions: ['CA'] },
    ]);
    const stock = { 'HX-1001': { available: '100', uom: 'Units' }, 'HX-2040': { available: '100', uom: 'Units' } };
    const units = { Units: UnitOfMeasure.parse({ code: 'Units', name: 'Units', category: 'count', ratio: '1' }), Case12: UnitOfMeasure.parse({ code: 'Case12', name: 'Case', category: 'count', ratio: '12' }) };
    const decision = await routeOrder(Order.parse(anOrder()), routes, { now: new Date(), stock: { 'wms-batch': stock, 'wms-rest': stock }, units, down: new Set(), slaAtRisk: false });
    const span = spans.getFinishedSpans().find((s) => s.name === 'route order')!;
    expect(span.attributes).toMatchObject({
      'correlation.id': 'S00042',
      'warehouse.id': 'wms-batch',
      'process.milestone': 'routed',
      'crossdock.routing.reason': decision.reason,
      'crossdock.routing.fallback': false,
    });
    expect(JSON.parse(String(span.attributes['crossdock.routing.alternatives']))).toEqual(decision.alternatives);
    expect(decision.alternatives.map((a) => a.routeId)).toEqual(['midwest', 'west']);
  });
});
