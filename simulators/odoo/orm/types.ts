import type { RecordStore, Row } from './store';

export type FieldType =
  | 'char'
  | 'text'
  | 'integer'
  | 'float'
  | 'monetary'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'selection'
  | 'many2one'
  | 'one2many'
  | 'many2many';

/** One field of a model, with what `fields_get` reports and how the value is obtained. */
export interface FieldDef {
  type: FieldType;
  string: string;
  relation?: string;
  /** For one2many: the many2one on the comodel pointing back. */
  inverse?: string;
  selection?: [string, string][];
  required?: boolean;
  readonly?: boolean;
  help?: string;
  /** Not stored: computed when read or searched (Odoo's non-stored compute or `related`). */
  compute?: (env: Env, row: Row) => unknown;
  /** Filled on create when the caller gave no value. */
  default?: (env: Env, vals: Record<string, unknown>) => unknown;
}

/**
 * A public method callable over RPC. `api: 'model'` methods take no ids (`search`, `create`);
 * record methods take the ids as `args[0]`. `params` are the Python parameter names after
 * `self`, so positional arguments and keywords bind as Python would bind them.
 */
export interface MethodDef {
  api: 'model' | 'record';
  params: string[];
  /** Required parameters (no default in the Python signature). */
  required?: string[];
  /** Accepts extra keywords (`**kwargs`), as `search_read` and `read` do. */
  varKeywords?: boolean;
  run(env: Env, ids: number[], kw: Record<string, unknown>): unknown;
}

/** A model: its fields, default order, display name and business methods. */
export interface ModelDef {
  name: string;
  description: string;
  /** `_order`, e.g. `date_order desc, id desc`. */
  order: string;
  fields: Record<string, FieldDef>;
  methods?: Record<string, MethodDef>;
  displayName?: (env: Env, row: Row) => string;
  /** Runs after the generic create stored the row (sequences, computed state). */
  afterCreate?: (env: Env, row: Row, vals: Record<string, unknown>) => void;
}

/** Counters `/_sim/state` reports so tests can assert effects, not only answers. */
export interface SimCounters {
  ordersCreated: number;
  ordersConfirmed: number;
  pickingsValidated: number;
  backordersCreated: number;
  quantsAdjusted: number;
  returnsCreated: number;
}

/** What one RPC call runs with: the database, the caller, its context and the transaction time. */
export interface Env {
  store: RecordStore;
  models: Map<string, ModelDef>;
  uid: number;
  context: Record<string, unknown>;
  /** `cr.now()`: the transaction's start time in UTC, `YYYY-MM-DD HH:MM:SS`. */
  now: string;
  counters: SimCounters;
  /** The Odoo major version being imitated (17 by default). */
  version: number;
}
