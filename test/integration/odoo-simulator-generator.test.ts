import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOrder, dayCurve, ordersPerHourAt, regionalWarehouse, startGenerator } from '../../simulators/odoo/generator';
import { OdooInstance } from '../../simulators/odoo';

let dir: string;
let odoo: OdooInstance;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'odoo-gen-'));
  odoo = new OdooInstance({ dataDir: dir, apiKey: 'generator-test-key-000000' });
});
afterAll(() => {
  odoo.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the order generator', () => {
  it('follows a distribution day: quiet at night, peaks before the 11:00 and 15:00 cut-offs (local time)', () => {
    const at = (localHour: number) => ordersPerHourAt(new Date(Date.UTC(2026, 10, 27, (localHour + 6) % 24)), { baseOrdersPerHour: 10, utcOffsetHours: -6 });
    expect(at(3)).toBe(1);
    expect(at(10)).toBeGreaterThan(at(8));
    expect(at(12)).toBeLessThan(at(11));
    expect(at(15)).toBe(Math.max(...dayCurve) * 10);
  });

  it('creates the orders the curve owes, released with reserved deliveries', () => {
    vi.useFakeTimers({ now: new Date(Date.UTC(2026, 10, 27, 21)), toFake: ['setInterval', 'clearInterval', 'Date'] }); // 15:00 in Chicago
    const before = odoo.counters.ordersConfirmed;
    const stop = startGenerator(odoo, { baseOrdersPerHour: 10, utcOffsetHours: -6, tickMs: 60_000 });
    vi.advanceTimersByTime(30 * 60_000); // half an hour at the 40 orders/h peak
    stop();
    vi.useRealTimers();
    expect(odoo.counters.ordersConfirmed - before).toBe(20);
    const pickings = [...odoo.store.rows('stock.picking')];
    expect(pickings).toHaveLength(20);
    expect(pickings.every((p) => p.state === 'assigned')).toBe(true);
  });

  it('ships each order from the warehouse for its customer\'s region, like the topology routes it', () => {
    const expected: Record<string, string> = {
      'Acme Hardware': 'WH', // Illinois
      'Prairie Farm Co-op': 'WH',
      'Maple Distribution': 'WH', // Ontario, Canada
      'Lone Star Supply': 'DAL', // Texas
      'Pacific Tools': 'DAL', // California
      'Garden State Goods': 'NJ3', // New Jersey
      'Brabant Retail': 'NJ3', // Belgium
      'Rhein Handel GmbH': 'NJ3', // Germany
    };
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const names = Array.from({ length: 60 }, () => createOrder(odoo, random));
    const orders = [...odoo.store.rows('sale.order')].filter((o) => names.includes(String(o.name)));
    const seen = new Set<string>();
    for (const order of orders) {
      const customer = String(odoo.store.get('res.partner', order.partner_id as number)!.name);
      const warehouse = String(odoo.store.get('stock.warehouse', order.warehouse_id as number)!.code);
      expect(warehouse, `${String(order.name)} for ${customer}`).toBe(expected[customer]);
      const delivery = [...odoo.store.rows('stock.picking')].find((p) => p.origin === order.name)!;
      expect(String(delivery.name).startsWith(`${warehouse}/OUT/`)).toBe(true);
      seen.add(customer);
    }
    expect(seen.size).toBe(Object.keys(expected).length);
  });

  it('ships a region no warehouse is named for from Chicago', () => {
    expect(regionalWarehouse('US', 'WA')).toBe('WH');
    expect(regionalWarehouse('FR', undefined)).toBe('WH');
    expect(regionalWarehouse('US', 'CA')).toBe('DAL');
    expect(regionalWarehouse('CA', 'ON')).toBe('WH');
  });
});
