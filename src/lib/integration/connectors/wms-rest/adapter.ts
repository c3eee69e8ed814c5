import { z } from 'zod';
import type { InventoryPosition, Order } from '../../canonical';
import type {
  AcceptEvents,
  CancelOutcome,
  Received,
  RejectedMessage,
  SentOrder,
  WarehouseAdapter,
  WarehouseEvent,
  WarehouseOrderStatus,
} from '../warehouse-adapter';
import { MappingTables, WarehouseMapping } from '../warehouse-mapping';
import { WmsRestConfig, type WmsRestConfigInput } from './config';
import { inventoryEvent, orderEvents, orderState, returnEvent, toInventoryPosition, toWmsOrder } from './mapping';
import { WmsRestTransport } from './transport';
import { WebhookDecoder } from './webhooks';
import { WmsInventoryItem, WmsOrder, WmsReturn, page } from './wire';

const OrderPage = page(WmsOrder);
const InventoryPage = page(WmsInventoryItem);
const ReturnPage = page(WmsReturn);

/** Keys remembered to suppress re-polled facts at the watermark boundary; older ones fall to the runtime's idempotency. */
const REMEMBERED_KEYS = 20_000;

/**
 * The REST+webhook WMS behind the `WarehouseAdapter` port. Webhooks are the fast path
 * (`webhooks.decode`); `receive()` is the reconciliation poll over `updated_at`, which recovers
 * what the WMS never delivered. Both yield the same idempotency keys for the same fact.
 */
export class WmsRestAdapter implements WarehouseAdapter {
  readonly dialect = 'wms-rest' as const;
  readonly capabilities = { progress: true, syncCancel: true };
  readonly warehouseId: string;
  readonly webhooks: WebhookDecoder;
  readonly #config: WmsRestConfig;
  readonly #tables: MappingTables;
  readonly #http: WmsRestTransport;
  readonly #watermarks = { orders: '', returns: '', inventory: '' };
  readonly #emitted = new Set<string>();

  constructor(config: WmsRestConfigInput) {
    this.#config = WmsRestConfig.parse(config);
    this.#tables = new MappingTables(WarehouseMapping.parse(this.#config.mapping));
    this.warehouseId = this.#tables.warehouseId;
    this.#http = new WmsRestTransport({ baseUrl: this.#config.baseUrl, auth: this.#config.auth, warehouseId: this.warehouseId, timeoutMs: this.#config.timeoutMs });
    this.webhooks = new WebhookDecoder(this.#config.webhookSecret, this.#tables);
  }

  async sendOrder(order: Order): Promise<SentOrder> {
    // Map first: a mapping gap must fail before anything reaches the warehouse.
    const body = toWmsOrder(order, this.#tables);
    const created = await this.#http.request('POST', '/v1/orders', z.object({ order: WmsOrder, created: z.boolean() }), { body });
    return { warehouseRef: created!.order.id, duplicate: !created!.created };
  }

  async cancelOrder(orderId: string): Promise<CancelOutcome> {
    await this.#http.request('POST', `/v1/orders/${encodeURIComponent(orderId)}/cancel`, z.object({ order: WmsOrder }), { route: '/v1/orders/{reference_id}/cancel' });
    return { status: 'cancelled' };
  }

  async fetchInventory(): Promise<InventoryPosition[]> {
    const items = await this.#list('/v1/inventory', InventoryPage);
    return items.map((item) => toInventoryPosition(item, this.#tables));
  }

  async fetchOrderStatus(orderId: string): Promise<WarehouseOrderStatus> {
    const found = await this.#http.request('GET', `/v1/orders/${encodeURIComponent(orderId)}`, z.object({ order: WmsOrder }), { allow404: true, route: '/v1/orders/{reference_id}' });
    if (!found) return { orderId, state: 'unknown' };
    return { orderId, state: orderState(found.order), warehouseRef: found.order.id, updatedAt: found.order.updated_at };
  }

  async receive(accept: AcceptEvents = async () => {}): Promise<Received> {
    const events: WarehouseEvent[] = [];
    const watermarks = { ...this.#watermarks };
    const rejected: RejectedMessage[] = [];
    const decode = (externalId: string, raw: unknown, produce: () => WarehouseEvent[]) => {
      try {
        events.push(...produce().filter((e) => this.#remember(e.idempotencyKey)));
      } catch (error) {
        rejected.push({ externalId, error: error as Error, rawPayload: JSON.stringify(raw) });
      }
    };
    for (const order of await this.#changedSince('/v1/orders', OrderPage, 'orders'))
      decode(`order:${order.reference_id}:${order.updated_at}`, order, () => orderEvents(order, this.#tables));
    for (const ret of await this.#changedSince('/v1/returns', ReturnPage, 'returns'))
      decode(`return:${ret.id}`, ret, () => [returnEvent(ret, this.#tables)].filter((e) => e !== undefined));
    for (const item of await this.#changedSince('/v1/inventory', InventoryPage, 'inventory'))
      decode(`inventory:${item.sku}:${item.updated_at}`, item, () => [inventoryEvent(item, this.#tables)]);
    try {
      await accept(events);
    } catch (error) {
      // Not taken: poll the same window again next time, and let those keys be emitted again.
      Object.assign(this.#watermarks, watermarks);
      for (const e of events) this.#emitted.delete(e.idempotencyKey);
      throw error;
    }
    return { events, rejected };
  }

  async close(): Promise<void> {}

  /** Fetches every page of a list changed at or after the stream's watermark, then moves the watermark. */
  async #changedSince<T extends { updated_at: string }>(
    path: string,
    schema: z.ZodType<{ data: T[]; next_cursor: string | null }>,
    stream: 'orders' | 'returns' | 'inventory',
  ): Promise<T[]> {
    // Inclusive bound: two changes can share a timestamp, so re-reading the boundary is safer than skipping it.
    const since = this.#watermarks[stream];
    const items = await this.#list(since ? `${path}?updated_at_min=${encodeURIComponent(since)}` : path, schema);
    for (const item of items) if (item.updated_at > this.#watermarks[stream]) this.#watermarks[stream] = item.updated_at;
    return items;
  }

  async #list<T>(path: string, schema: z.ZodType<{ data: T[]; next_cursor: string | null }>): Promise<T[]> {
    const all: T[] = [];
    let cursor: string | null = null;
    do {
      const url = new URL(path, 'http://x');
      url.searchParams.set('limit', String(this.#config.pageSize));
      if (cursor) url.searchParams.set('cursor', cursor);
      const result: { data: T[]; next_cursor: string | null } = (await this.#http.request('GET', `${url.pathname}${url.search}`, schema))!;
      all.push(...result.data);
      cursor = result.next_cursor;
    } while (cursor);
    return all;
  }

  /** True the first time a key is seen (bounded memory: the oldest keys are forgotten first). */
  #remember(key: string): boolean {
    if (this.#emitted.has(key)) return false;
    this.#emitted.add(key);
    if (this.#emitted.size > REMEMBERED_KEYS) this.#emitted.delete(this.#emitted.values().next().value!);
    return true;
  }
}
