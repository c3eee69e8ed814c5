import { type InventoryPosition, type Order, type OrderAcknowledged, type OrderCancelled, type OrderProgressed, type OrderShortShipped, type Return, type Shipment, type WarehouseDialect, eventTypes } from '../canonical';

/**
 * The port every warehouse platform sits behind (H5). Flows talk only to this; each dialect
 * (REST+webhooks, CSV over SFTP, X12 over SFTP) is one adapter, and all of them pass
 * `test/contracts/warehouse-adapter.contract.ts` against their simulator.
 *
 * Errors are the runtime's typed errors, so the delivery layer decides retries from them:
 * `PartnerUnavailableError` (connection refused, 5xx, SFTP down), `RateLimitedError` (429 with
 * its Retry-After), `AuthFailureError` (401/403, bad key), `ValidationError` (the partner refused
 * our payload, a rejected 997, a malformed inbound file), `MasterDataError` (a mapping gap),
 * `SequenceError` (cancel after shipping).
 */
export interface WarehouseAdapter {
  /** The warehouse this adapter serves (`Warehouse.id`), stamped on every event it decodes. */
  readonly warehouseId: string;
  readonly dialect: WarehouseDialect;
  /** What the dialect can report; the contract suite skips what a platform never sends. */
  readonly capabilities: WarehouseCapabilities;

  /**
   * Hands an order to the warehouse. Idempotent on `order.orderId`: sending the same order again
   * (a redelivery after a crash) does not create a second order at the warehouse.
   */
  sendOrder(order: Order): Promise<SentOrder>;

  /** Asks the warehouse to cancel. An order that already shipped is a `SequenceError`. */
  cancelOrder(orderId: string): Promise<CancelOutcome>;

  /** The warehouse's full stock picture, in canonical SKUs and units. */
  fetchInventory(): Promise<InventoryPosition[]>;

  /** Where one order stands at the warehouse, for reconciliation and stuck-order checks. */
  fetchOrderStatus(orderId: string): Promise<WarehouseOrderStatus>;

  /**
   * Collects what the warehouse published since the last call (files in its outbox, a
   * reconciliation poll over `updated_at`) and decodes it into canonical events. `accept` is
   * called with each inbound message's events (the runtime's `Ingress`) *before* the message is
   * marked imported, so a crash in between re-reads it and the runtime's idempotency drops what
   * was already accepted. A message once accepted is not decoded again. A malformed message is
   * reported in `rejected` with its raw payload kept, never thrown, so one bad file does not block
   * the rest.
   */
  receive(accept?: AcceptEvents): Promise<Received>;

  /** Releases connections and timers. */
  close(): Promise<void>;
}

/** Takes a batch of decoded events durably (publishes them); throwing leaves the source message to be read again. */
export type AcceptEvents = (events: WarehouseEvent[]) => Promise<void>;

/** Optional behaviours a dialect may lack (an X12 3PL reports no pick/pack progress). */
export interface WarehouseCapabilities {
  /** Reports picked/packed milestones. */
  progress: boolean;
  /** Cancels synchronously (REST) rather than by a request the warehouse confirms later. */
  syncCancel: boolean;
}

/** What sending an order achieved. */
export interface SentOrder {
  /** The warehouse's reference (its order id, a file name, an X12 control number). */
  warehouseRef: string;
  /** The warehouse already had this order; nothing new was created. */
  duplicate: boolean;
}

/** The result of a cancel request. */
export interface CancelOutcome {
  /** `cancelled` when confirmed at once, `requested` when confirmation arrives as an event. */
  status: 'cancelled' | 'requested';
}

/** Canonical order milestones as a warehouse reports them. */
export type WarehouseOrderState =
  | 'unknown'
  | 'received'
  | 'acknowledged'
  | 'picked'
  | 'packed'
  | 'shipped'
  | 'short_shipped'
  | 'cancelled';

export interface WarehouseOrderStatus {
  orderId: string;
  state: WarehouseOrderState;
  warehouseRef?: string;
  /** When the warehouse last changed the order (RFC 3339), when it says. */
  updatedAt?: string;
}

/** A decoded inbound event, ready to become a catalog event (`events.create(type, …)`). */
export type WarehouseEvent =
  | DecodedEvent<typeof eventTypes.orderAcknowledged, OrderAcknowledged>
  | DecodedEvent<typeof eventTypes.orderProgressed, OrderProgressed>
  | DecodedEvent<typeof eventTypes.shipmentShipped, Shipment>
  | DecodedEvent<typeof eventTypes.orderShortShipped, OrderShortShipped>
  | DecodedEvent<typeof eventTypes.orderCancelled, OrderCancelled>
  | DecodedEvent<typeof eventTypes.inventoryChanged, InventoryPosition>
  | DecodedEvent<typeof eventTypes.returnReceived, Return>;

export interface DecodedEvent<T extends string, D> {
  type: T;
  data: D;
  /** The business key: order id, return id, or `inventory:<warehouse>:<sku>`. */
  correlationId: string;
  /**
   * Stable across re-deliveries of the same fact (webhook id, file name + row, X12 control
   * number + line), so the runtime's idempotency drops a repeat.
   */
  idempotencyKey: string;
}

/** An inbound message that could not be decoded; kept whole for a dead letter or manual review. */
export interface RejectedMessage {
  /** File name, webhook id, or X12 control number. */
  externalId: string;
  error: Error;
  rawPayload: string;
}

export interface Received {
  events: WarehouseEvent[];
  rejected: RejectedMessage[];
}

/** Builds a decoded event; keeps the shape in one place. */
export function decoded<T extends WarehouseEvent['type']>(
  type: T,
  data: Extract<WarehouseEvent, { type: T }>['data'],
  correlationId: string,
  idempotencyKey: string,
): WarehouseEvent {
  return { type, data, correlationId, idempotencyKey } as WarehouseEvent;
}
