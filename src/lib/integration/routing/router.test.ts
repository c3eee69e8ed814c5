import { describe, expect, it } from 'vitest';
import { Order, UnitOfMeasure } from '../canonical';
import { anAddress, anOrder } from '../../../../test/factories/canonical';
import { defineRoutes } from './route-definition';
import { chooseWarehouse, isAfter, type RoutingContext } from './router';

const units = Object.fromEntries(
  [
    { code: 'Units', name: 'Units', category: 'count', ratio: '1' },
    { code: 'Case12', name: 'Case of 12', category: 'count', ratio: '12' },
  ].map((u) => [u.code, UnitOfMeasure.parse(u)]),
);

// Columbus (batch WMS) serves the Midwest, Reno (REST WMS) the West, the 3PL in Memphis everyone in the US as a backstop.
const routes = defineRoutes([
  { id: 'midwest', warehouseId: 'wms-batch', priority: 10, countries: ['US'], regions: ['OH', 'IN', 'MI', 'PA'], cutoff: { time: '15:00', timeZone: 'America/New_York' } },
  { id: 'west', warehouseId: 'wms-rest', priority: 10, countries: ['US'], regions: ['CA', 'NV', 'OR', 'WA'], cutoff: { time: '14:00', timeZone: 'America/Los_Angeles' } },
  { id: 'national', warehouseId: 'edi-3pl', priority: 50, countries: ['US', 'CA'], serviceLevels: ['standard', 'expedited'], cutoff: { time: '16:00', timeZone: 'America/Chicago' } },
]);

const plenty = { 'HX-1001': { available: '500', uom: 'Units' }, 'HX-2040': { available: '300', uom: 'Units' } };
// 10:00 in New York, 07:00 in Los Angeles, 09:00 in Chicago: before every cut-off.
const morning = new Date('2026-11-27T15:00:00Z');
const context = (overrides: Partial<RoutingContext> = {}): RoutingContext => ({
  now: morning,
  stock: { 'wms-batch': plenty, 'wms-rest': plenty, 'edi-3pl': plenty },
  units,
  down: new Set(),
  slaAtRisk: false,
  ...overrides,
});
const order = (overrides: Record<string, unknown> = {}) => Order.parse(anOrder(overrides));

describe('chooseWarehouse', () => {
  it('routes by ship-to region', () => {
    expect(chooseWarehouse(order(), routes, context()).warehouseId).toBe('wms-batch'); // Columbus, OH
    expect(chooseWarehouse(order({ shipTo: anAddress({ region: 'NV', city: 'Reno', postalCode: '89502' }) }), routes, context()).warehouseId).toBe('wms-rest');
    expect(chooseWarehouse(order({ shipTo: anAddress({ region: 'TX', city: 'Austin', postalCode: '78701' }) }), routes, context()).warehouseId).toBe('edi-3pl');
    expect(chooseWarehouse(order({ shipTo: anAddress({ country: 'MX', region: 'NL' }) }), routes, context())).toMatchObject({
      warehouseId: undefined,
      reason: expect.stringMatching(/no route can take S00042: midwest \(region: does not ship to MX\)/),
    });
  });

  it('skips a warehouse without enough stock, comparing cases and units exactly', () => {
    // The order wants 2 cases of 12 of HX-2040 = 24 units; Columbus has 23.
    const short = context({ stock: { ...context().stock, 'wms-batch': { ...plenty, 'HX-2040': { available: '23', uom: 'Units' } } } });
    const decision = chooseWarehouse(order(), routes, short);
    expect(decision.warehouseId).toBe('edi-3pl');
    expect(decision.alternatives.find((a) => a.routeId === 'midwest')).toEqual({ routeId: 'midwest', warehouseId: 'wms-batch', eligible: false, reasons: ['stock: 23 Units of HX-2040, needs 24'] });
    const exact = context({ stock: { ...context().stock, 'wms-batch': { ...plenty, 'HX-2040': { available: '2', uom: 'Case12' } } } });
    expect(chooseWarehouse(order(), routes, exact).warehouseId).toBe('wms-batch');
  });

  it('treats a warehouse that never reported stock as unknown, not empty', () => {
    const { 'wms-batch': _unknown, ...others } = context().stock;
    const decision = chooseWarehouse(order(), routes, context({ stock: { ...others, 'edi-3pl': {} } }));
    // wms-batch has no stock picture yet, so it stays eligible; edi-3pl reported none of the SKUs.
    expect(decision.warehouseId).toBe('wms-batch');
    expect(decision.alternatives.find((a) => a.warehouseId === 'edi-3pl')!.reasons).toContain('stock: no HX-1001');
  });

  it('respects the service level a warehouse can meet', () => {
    const overnight = order({ serviceLevel: 'overnight', shipTo: anAddress({ region: 'TX' }) });
    const decision = chooseWarehouse(overnight, routes, context());
    expect(decision.warehouseId).toBeUndefined();
    expect(decision.alternatives.find((a) => a.routeId === 'national')!.reasons).toContain('service_level: cannot meet overnight');
  });

  it('prefers a warehouse still before its cut-off over one that would ship tomorrow', () => {
    // 15:30 in New York (Columbus closed for today), 14:30 in Chicago (the 3PL still ships today).
    const late = new Date('2026-11-27T20:30:00Z');
    const decision = chooseWarehouse(order(), routes, context({ now: late }));
    expect(decision.warehouseId).toBe('edi-3pl');
    expect(decision.alternatives.find((a) => a.routeId === 'midwest')).toMatchObject({ eligible: true, reasons: ['after_cutoff'] });
    // After every cut-off the preferred route wins again: everyone ships tomorrow.
    expect(chooseWarehouse(order(), routes, context({ now: new Date('2026-11-27T23:00:00Z') })).warehouseId).toBe('wms-batch');
  });

  it('falls back to the next eligible warehouse only when the preferred one is down and the SLA is at risk', () => {
    const down = new Set(['wms-batch']);
    const waits = chooseWarehouse(order(), routes, context({ down }));
    expect(waits).toMatchObject({ warehouseId: 'wms-batch', fallback: false, reason: expect.stringMatching(/the SLA is not at risk, so the order waits/) });
    const rerouted = chooseWarehouse(order(), routes, context({ down, slaAtRisk: true }));
    expect(rerouted).toMatchObject({ warehouseId: 'edi-3pl', routeId: 'national', fallback: true });
    expect(rerouted.reason).toBe('fallback to edi-3pl via national: wms-batch is down and the SLA is at risk');
    expect(rerouted.alternatives.find((a) => a.warehouseId === 'wms-batch')!.reasons).toEqual(['down']);
    const allDown = chooseWarehouse(order(), routes, context({ down: new Set(['wms-batch', 'edi-3pl']), slaAtRisk: true }));
    expect(allDown).toMatchObject({ warehouseId: 'wms-batch', fallback: false, reason: expect.stringMatching(/no other warehouse can take it/) });
  });

  it('refuses bad route definitions at start with the field named', () => {
    expect(() => defineRoutes([{ id: 'x', warehouseId: 'w', countries: ['usa'] }])).toThrow(/countries/);
    expect(() => defineRoutes([{ id: 'x', warehouseId: 'w', countries: ['US'], cutoff: { time: '25:00', timeZone: 'UTC' } }])).toThrow(/HH:mm/);
    expect(() => defineRoutes([{ id: 'x', warehouseId: 'w', countries: ['US'], cutoff: { time: '10:00', timeZone: 'Mars/Olympus' } }])).toThrow(/IANA/);
    expect(() => defineRoutes([{ id: 'x', warehouseId: 'w', countries: ['US'] }, { id: 'x', warehouseId: 'v', countries: ['US'] }])).toThrow(/duplicate route id x/);
  });

  it('reads cut-offs on the warehouse wall clock, across daylight saving', () => {
    expect(isAfter(new Date('2026-07-01T18:59:00Z'), '15:00', 'America/New_York')).toBe(false); // 14:59 EDT
    expect(isAfter(new Date('2026-07-01T19:00:00Z'), '15:00', 'America/New_York')).toBe(true);
    expect(isAfter(new Date('2026-12-01T19:30:00Z'), '15:00', 'America/New_York')).toBe(false); // 14:30 EST
  });
});
