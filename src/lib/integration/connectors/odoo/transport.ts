/** One call of an ORM method: the record ids (for record methods) and keyword arguments. */
export interface OdooCall {
  model: string;
  method: string;
  /** Record ids; leave out for `@api.model` methods (`search_read`, `create`). */
  ids?: number[];
  kwargs?: Record<string, unknown>;
  /** Applied with `with_context` (`skip_backorder`, `inventory_mode`, `active_id`...). */
  context?: Record<string, unknown>;
}

/**
 * How the connector reaches Odoo's ORM: `execute_kw` over `/jsonrpc` (16–18) or JSON-2 (19+).
 * Both take keyword arguments by name, so the callers never see which one is in use. A method
 * that returns None resolves to `undefined`.
 */
export interface OdooTransport {
  readonly protocol: 'json-rpc' | 'json-2';
  call(call: OdooCall): Promise<unknown>;
}

/** Where Odoo is and who the connector is there. The API key is a secret from the environment. */
export interface OdooEndpoint {
  url: string;
  database: string;
  login: string;
  apiKey: string;
  timeoutMs: number;
}
