import type { InventoryPosition, Return, Shipment } from '../../canonical';
import type { RuntimeDb } from '../../store/runtime-db';
import type { IncrementalOptions } from './incremental';
import { adjustInventory, type AdjustmentResult, type StockCount } from './inventory-adjustment';
import { fetchVersion, JsonRpcTransport } from './json-rpc-transport';
import { Json2Transport } from './json2-transport';
import { pullReleasedOrders, type OrderChanges, type Rejected } from './order-reader';
import type { OdooPort } from './port';
import { receiveReturn, type ReturnReceipt } from './return-receipt';
import { confirmShipment, type ConfirmOptions, type ShipmentConfirmation } from './shipment-confirmation';
import { listWarehouses, pullDeliveries, pullInventory, pullProducts, readInventory, type Changes, type OdooDelivery, type OdooProduct, type OdooWarehouse } from './stock-reader';
import { OdooSyncState } from './sync-state';
import type { OdooEndpoint, OdooTransport } from './transport';
import { dialectFor, type OdooDialect } from './version';

export interface OdooConnectorOptions {
  endpoint: OdooEndpoint;
  /** The Odoo major version; detected with `common.version` when not given. */
  version?: number;
  /** The runtime database: cursors and applied writes live beside the bus. */
  db: RuntimeDb;
  /** Seconds each pull re-reads before its cursor (60 by default). */
  overlapSeconds?: number;
  /** Records per `search_read` page (500 by default). */
  pageSize?: number;
  /** New records one pull returns at most (5,000 by default); the rest come with the next pulls. */
  maxItems?: number;
}

/** The Odoo connector: the `OdooPort` over Odoo's real external API. */
export class OdooConnector implements OdooPort {
  private readonly state: OdooSyncState;
  private readonly sync: IncrementalOptions;
  #ready?: Promise<{ dialect: OdooDialect; transport: OdooTransport }>;

  constructor(private readonly options: OdooConnectorOptions) {
    this.state = new OdooSyncState(options.db);
    this.sync = { overlapSeconds: options.overlapSeconds ?? 60, pageSize: options.pageSize ?? 500, maxItems: options.maxItems ?? 5_000 };
  }

  async dialect(): Promise<OdooDialect> {
    return (await this.ready()).dialect;
  }

  async pullReleasedOrders(): Promise<OrderChanges> {
    const { transport, dialect } = await this.ready();
    return pullReleasedOrders(transport, this.state, dialect, this.sync);
  }

  async pullProducts(): Promise<Changes<OdooProduct>> {
    return pullProducts((await this.ready()).transport, this.state, this.sync);
  }

  async pullInventory(): Promise<Changes<InventoryPosition>> {
    return pullInventory((await this.ready()).transport, this.state, this.sync);
  }

  async pullDeliveries(): Promise<Changes<OdooDelivery>> {
    const { transport, dialect } = await this.ready();
    return pullDeliveries(transport, this.state, dialect, this.sync);
  }

  async readInventory(): Promise<{ items: InventoryPosition[]; rejected: Rejected[] }> {
    return readInventory((await this.ready()).transport);
  }

  async listWarehouses(): Promise<OdooWarehouse[]> {
    return listWarehouses((await this.ready()).transport);
  }

  async confirmShipment(shipment: Shipment, options?: ConfirmOptions): Promise<ShipmentConfirmation> {
    const { transport, dialect } = await this.ready();
    return confirmShipment(transport, this.state, dialect, shipment, options);
  }

  async adjustInventory(count: StockCount): Promise<AdjustmentResult> {
    const { transport, dialect } = await this.ready();
    return adjustInventory(transport, this.state, dialect, count);
  }

  async receiveReturn(ret: Return): Promise<ReturnReceipt> {
    const { transport, dialect } = await this.ready();
    return receiveReturn(transport, this.state, dialect, ret);
  }

  /** Settles the version once (configured or detected), then picks the protocol it speaks. */
  private ready() {
    this.#ready ??= (async () => {
      const major = this.options.version ?? Number((await fetchVersion(this.options.endpoint)).server_version_info[0]);
      const dialect = dialectFor(major);
      const transport = dialect.protocol === 'json-2' ? new Json2Transport(this.options.endpoint) : new JsonRpcTransport(this.options.endpoint);
      return { dialect, transport };
    })().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }
}
