/** The Odoo connector: `OdooPort` over JSON-RPC `execute_kw` (16–18) or JSON-2 (19+). */
export { OdooConnector } from './connector';
export type { OdooConnectorOptions } from './connector';
export type { OdooPort } from './port';
export type { ReleasedOrder, Rejected, OrderChanges } from './order-reader';
export type { Changes, OdooDelivery, OdooProduct, OdooWarehouse } from './stock-reader';
export type { ShipmentConfirmation, ConfirmOptions } from './shipment-confirmation';
export type { StockCount, AdjustmentResult } from './inventory-adjustment';
export type { ReturnReceipt } from './return-receipt';
export type { OdooEndpoint } from './transport';
export { dialectFor } from './version';
export type { OdooDialect } from './version';
export { classifyOdooFault, OdooServerError } from './errors';
export { odooWebhookHandler, OdooWebhookPayload } from './webhook';
export type { OdooChangeHint, OdooWebhookOptions } from './webhook';
