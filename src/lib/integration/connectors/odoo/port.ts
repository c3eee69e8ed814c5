import type { InventoryPosition, Return, Shipment } from '../../canonical';
import type { AdjustmentResult, StockCount } from './inventory-adjustment';
import type { OrderChanges, Rejected } from './order-reader';
import type { ReturnReceipt } from './return-receipt';
import type { ConfirmOptions, ShipmentConfirmation } from './shipment-confirmation';
import type { Changes, OdooDelivery, OdooProduct, OdooWarehouse } from './stock-reader';
import type { OdooDialect } from './version';

/**
 * The port the flows use to talk to Odoo (H5). Versions 16–19 and their protocols (JSON-RPC
 * `execute_kw`, JSON-2) sit behind it. Errors are the runtime's typed errors: `AuthFailureError`
 * (a revoked key), `PartnerUnavailableError` (unreachable, maintenance, 5xx), `SequenceError`
 * (the picking is not in a state to do that), `MasterDataError` (unknown SKU, warehouse, unit),
 * `InventoryMismatchError`, `ValidationError`.
 *
 * Reads are incremental by `write_date` with an overlap window and de-duplication: each returns
 * what changed since the persisted cursor, and `commit()` moves the cursor once the caller has
 * safely handed the items on (until then the next pull returns them again). Writes are
 * idempotent: repeating one with the same key has no second effect in Odoo.
 */
export interface OdooPort {
  /** The Odoo version spoken to (configured, or detected with `common.version`). */
  dialect(): Promise<OdooDialect>;
  pullReleasedOrders(): Promise<OrderChanges>;
  pullProducts(): Promise<Changes<OdooProduct>>;
  pullInventory(): Promise<Changes<InventoryPosition>>;
  pullDeliveries(): Promise<Changes<OdooDelivery>>;
  /** Every stock position in internal locations now (not incremental): what reconciliation compares. */
  readInventory(): Promise<{ items: InventoryPosition[]; rejected: Rejected[] }>;
  listWarehouses(): Promise<OdooWarehouse[]>;
  /** Idempotent on `shipment.shipmentId`. */
  confirmShipment(shipment: Shipment, options?: ConfirmOptions): Promise<ShipmentConfirmation>;
  /** Idempotent on `count.key`; a count is absolute, so a repeat books nothing anyway. */
  adjustInventory(count: StockCount): Promise<AdjustmentResult>;
  /** Idempotent on `ret.returnId`. */
  receiveReturn(ret: Return): Promise<ReturnReceipt>;
}
