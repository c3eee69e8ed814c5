import type { ServiceClass } from '../canonical/primitives';

/**
 * The bus topics the flows use. Order and return topics are ordered per correlation id (one
 * order's messages are handled one at a time, in publish order); inventory and reconciliation
 * are not (counts are absolute, and the latest wins).
 */
export const topics = {
  /** A sales order released in Odoo, to route and send to a warehouse. */
  orderReleased: 'orders.released',
  /** What a warehouse reported about an order: acknowledged, picked/packed, shipped, short, cancelled. */
  orderEvents: 'orders.warehouse-events',
  /** An approved move of an order to another warehouse. */
  orderReroute: 'orders.reroute',
  /** A cancel the first warehouse of a rerouted order could not take yet (it was down). */
  orderCancel: 'orders.cancel',
  inventoryChanged: 'inventory.changed',
  returnReceived: 'returns.received',
  reconciliationRequested: 'reconciliation.requested',
  /** Inbound messages that could not be decoded, kept whole as dead letters for review. */
  rejected: 'inbound.rejected',
} as const;

/** The service class each flow's messages travel in (inventory picks per SKU velocity). */
export const serviceClassOf = {
  orders: 'realtime',
  returns: 'standard',
  reconciliation: 'batch',
  cancel: 'standard',
} as const satisfies Record<string, ServiceClass>;
