import { MappingTables } from '../../src/lib/integration/connectors/warehouse-mapping';
import type { Topology } from '../../src/lib/integration/topology';
import { openingStockOf } from '../odoo/catalogue';

/** One item of a warehouse simulator's opening stock, as that warehouse writes it. */
export interface OpeningStockLine {
  partnerSku: string;
  /** In the warehouse's own unit for the item. */
  quantity: number;
  /** That unit as the warehouse writes it (`EA`, `DZ`, `KG`). */
  unitLabel: string;
}

/**
 * What a warehouse simulator holds on the first day: exactly the Odoo simulator's opening stock
 * for the Odoo warehouse the topology pairs it with, translated through the warehouse's own
 * mapping (its item codes and units). Odoo and the warehouse therefore agree before the first
 * order, and any difference reconciliation finds later is one the demo made happen.
 *
 * Throws when the topology has no warehouse of that id, when its Odoo code is not in the demo
 * catalogue, or when its mapping lacks a catalogue product or converts it inexactly: a demo
 * world that starts inconsistent would hide real reconciliation findings.
 */
export function openingStock(topology: Topology, warehouseId: string): OpeningStockLine[] {
  const warehouse = topology.warehouses.find((w) => w.id === warehouseId);
  if (!warehouse) throw new Error(`the topology has no warehouse ${warehouseId} (it has ${topology.warehouses.map((w) => w.id).join(', ')})`);
  const tables = new MappingTables(warehouse.mapping);
  return openingStockOf(warehouse.odooCode).map(({ product, quantity }) => {
    const partner = tables.toPartner(product.code, String(quantity), product.uom);
    return { partnerSku: partner.partnerSku, quantity: Number(partner.quantity), unitLabel: partner.unitLabel };
  });
}

/** The opening stock in the shape each dialect's simulator takes (`stock` option). */
export const simulatorStock = {
  /** The REST WMS counts plain quantities per SKU. */
  wmsRest: (topology: Topology, warehouseId = 'wms-rest'): Record<string, number> =>
    Object.fromEntries(openingStock(topology, warehouseId).map((l) => [l.partnerSku, l.quantity])),
  /** The batch WMS and the 3PL write each item's unit label in their files. */
  withUnits: (topology: Topology, warehouseId: string): Record<string, { qty: number; uom: string }> =>
    Object.fromEntries(openingStock(topology, warehouseId).map((l) => [l.partnerSku, { qty: l.quantity, uom: l.unitLabel }])),
};
