import { missingRecords, OdooException, typeError, validationError, valueError } from '../errors';
import { compileDomain } from './domain';
import { pyRepr, pyTypeName } from './python';
import type { Row } from './store';
import type { Env, ModelDef } from './types';
import { fieldDef, fieldValue, magicFields, modelDef, toRead } from './values';

/** Options of `search` / `search_read`. */
export interface SearchOptions {
  offset?: number;
  limit?: number | false | null;
  order?: string | false | null;
}

/** Rows of a model, archived ones hidden unless `active_test` is false, as the ORM does. */
function visibleRows(env: Env, model: ModelDef): Row[] {
  const rows = [...env.store.rows(model.name)];
  if (!('active' in model.fields) || env.context.active_test === false) return rows;
  return rows.filter((row) => row.active !== false);
}

/** Parses `"write_date asc, id asc"` into comparators, refusing unknown fields like Odoo. */
function comparator(env: Env, model: ModelDef, order: string): (a: Row, b: Row) => number {
  const keys = order
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [name, direction = 'asc'] = part.split(/\s+/);
      if (name !== 'id' && !fieldDef(model, name)) throw valueError(`Invalid field ${pyRepr(name)} on model ${pyRepr(model.name)}`);
      return { name, sign: direction.toLowerCase() === 'desc' ? -1 : 1 };
    });
  if (!keys.some((k) => k.name === 'id')) keys.push({ name: 'id', sign: 1 });
  return (a, b) => {
    for (const { name, sign } of keys) {
      const x = fieldValue(env, model, a, name) as number | string | boolean;
      const y = fieldValue(env, model, b, name) as number | string | boolean;
      if (x === y) continue;
      // PostgreSQL sorts NULLs last ascending and first descending.
      if (x === false || x === null) return sign;
      if (y === false || y === null) return -sign;
      return (x < y ? -1 : 1) * sign;
    }
    return 0;
  };
}

export function search(env: Env, model: ModelDef, domain: unknown, options: SearchOptions = {}): number[] {
  const matches = compileDomain(env, model, domain);
  const rows = visibleRows(env, model).filter(matches);
  const order = options.order || model.order;
  // `_check_qorder` runs a regular expression over it, which only takes a string.
  if (typeof order !== 'string') throw typeError(`expected string or bytes-like object, got '${pyTypeName(order)}'`);
  rows.sort(comparator(env, model, order));
  const offset = options.offset ?? 0;
  const limit = options.limit ? options.limit : undefined;
  return rows.slice(offset, limit === undefined ? undefined : offset + limit).map((row) => row.id);
}

/** `read`: ids that do not exist are dropped silently, on purpose (Odoo does the same). */
export function read(env: Env, model: ModelDef, ids: number[], fields: unknown, load: unknown = '_classic_read'): Record<string, unknown>[] {
  const names = Array.isArray(fields) && fields.length > 0 ? (fields as string[]) : allFieldNames(model);
  for (const name of names)
    if (name !== 'id' && !fieldDef(model, name)) throw valueError(`Invalid field ${pyRepr(name)} on model ${pyRepr(model.name)}`);
  const result: Record<string, unknown>[] = [];
  for (const id of ids) {
    const row = env.store.get(model.name, id);
    if (!row) continue;
    const record: Record<string, unknown> = { id: row.id };
    for (const name of names) if (name !== 'id') record[name] = toRead(env, model, row, name, load);
    result.push(record);
  }
  return result;
}

export function allFieldNames(model: ModelDef): string[] {
  return [...Object.keys(model.fields), ...Object.keys(magicFields)];
}

/** Rows for `ids`, or the MissingError Odoo raises when writing to deleted records. */
export function existing(env: Env, model: ModelDef, ids: number[], operation: string): Row[] {
  const missing = ids.filter((id) => !env.store.get(model.name, id));
  if (missing.length > 0) throw missingRecords(model.name, operation, missing, env.uid);
  return ids.map((id) => env.store.get(model.name, id)!);
}

export function create(env: Env, model: ModelDef, given: Record<string, unknown>): number {
  // `default_<field>` keys of the context fill fields the caller left out, on every record created
  // with that context (nested ones too, as in Odoo, where this is a well-known source of surprises).
  const vals = { ...given };
  for (const [key, value] of Object.entries(env.context))
    if (key.startsWith('default_') && key.slice(8) in model.fields && !(key.slice(8) in vals)) vals[key.slice(8)] = value;
  const stored: Record<string, unknown> = {};
  const x2many: [string, unknown][] = [];
  for (const [name, value] of Object.entries(vals)) {
    const field = model.fields[name];
    if (!field) throw valueError(`Invalid field ${pyRepr(name)} on model ${pyRepr(model.name)}`);
    if (field.type === 'one2many' || field.type === 'many2many') x2many.push([name, value]);
    else stored[name] = normalise(env, model, name, value);
  }
  for (const [name, field] of Object.entries(model.fields))
    if (!(name in stored) && field.default && !field.compute && field.type !== 'one2many') stored[name] = field.default(env, vals);
  for (const [name, field] of Object.entries(model.fields))
    if (field.required && !field.compute && field.type !== 'one2many' && (stored[name] === undefined || stored[name] === false || stored[name] === null))
      throw notNull(model, name);
  const row = env.store.insert(model.name, {
    ...stored,
    create_date: env.now,
    write_date: env.now,
    create_uid: env.uid,
    write_uid: env.uid,
  });
  for (const [name, commands] of x2many) applyX2many(env, model, row, name, commands);
  model.afterCreate?.(env, row, vals);
  return row.id;
}

export function write(env: Env, model: ModelDef, ids: number[], vals: unknown): true {
  if (typeof vals !== 'object' || vals === null || Array.isArray(vals)) throw new OdooException('builtins.AttributeError', `'${pyTypeName(vals)}' object has no attribute 'items'`);
  const rows = existing(env, model, ids, 'write');
  for (const name of Object.keys(vals))
    if (!model.fields[name]) throw valueError(`Invalid field ${pyRepr(name)} on model ${pyRepr(model.name)}`);
  for (const row of rows) {
    const stored: Record<string, unknown> = { write_date: env.now, write_uid: env.uid };
    for (const [name, value] of Object.entries(vals)) {
      const field = model.fields[name];
      if (field.type === 'one2many' || field.type === 'many2many') continue;
      stored[name] = normalise(env, model, name, value);
      if (field.required && (stored[name] === false || stored[name] === null)) throw notNull(model, name);
    }
    env.store.update(model.name, row.id, stored);
    for (const [name, value] of Object.entries(vals)) {
      const type = model.fields[name].type;
      if (type === 'one2many' || type === 'many2many') applyX2many(env, model, row, name, value);
    }
  }
  return true;
}

/** Changes stored values the way `_write` does for computed fields: `write_date` moves too. */
export function touch(env: Env, model: string, id: number, values: Record<string, unknown>): void {
  env.store.update(model, id, { ...values, write_date: env.now, write_uid: env.uid });
}

export function unlink(env: Env, model: ModelDef, ids: number[]): true {
  existing(env, model, ids, 'unlink');
  for (const id of ids) env.store.delete(model.name, id);
  return true;
}

/** Checks a value's shape and that a many2one points at a record that exists (the FK). */
function normalise(env: Env, model: ModelDef, name: string, value: unknown): unknown {
  const field = model.fields[name];
  if (value === null || value === undefined) return false;
  if (field.type === 'many2one') {
    if (value === false) return false;
    const id = Array.isArray(value) ? Number(value[0]) : Number(value);
    if (!Number.isInteger(id)) throw valueError(`Wrong value for ${model.name}.${name}: ${pyRepr(value)}`);
    if (!env.store.get(field.relation!, id))
      throw validationError(
        `The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${model.description} (${model.name}), Field: ${field.string} (${name})`,
      );
    return id;
  }
  if ((field.type === 'float' || field.type === 'monetary' || field.type === 'integer') && typeof value !== 'number') {
    if (value === false) return 0;
    const n = Number(value);
    if (!Number.isFinite(n)) throw valueError(`could not convert string to float: ${pyRepr(value)}`);
    return field.type === 'integer' ? Math.trunc(n) : n;
  }
  if (field.type === 'selection' && value !== false && !field.selection!.some(([key]) => key === value))
    throw valueError(`Wrong value for ${model.name}.${name}: ${pyRepr(value)}`);
  if (field.type === 'boolean') return Boolean(value);
  return value;
}

function notNull(model: ModelDef, name: string) {
  return validationError(
    `The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${model.description} (${model.name})\nField: ${model.fields[name].string} (${name})`,
  );
}

/** x2many commands: `[0,0,vals]` create, `[1,id,vals]` update, `[2,id]` delete, `[4,id]` link, `[6,0,ids]` set. */
function applyX2many(env: Env, model: ModelDef, row: Row, name: string, commands: unknown): void {
  const field = model.fields[name];
  const comodel = modelDef(env, field.relation!);
  if (!Array.isArray(commands)) throw valueError(`Wrong value for ${model.name}.${name}: ${pyRepr(commands)}`);
  let linked = field.type === 'many2many' ? [...((row[name] as number[]) ?? [])] : [];
  for (const command of commands as unknown[][]) {
    const [code, id, vals] = command;
    if (code === 0) {
      const childVals = { ...(vals as Record<string, unknown>) };
      if (field.type === 'one2many') childVals[field.inverse!] = row.id;
      const childId = create(env, comodel, childVals);
      linked.push(childId);
    } else if (code === 1) write(env, comodel, [id as number], vals as Record<string, unknown>);
    else if (code === 2) unlink(env, comodel, [id as number]);
    else if (code === 3) linked = linked.filter((x) => x !== id);
    else if (code === 4) {
      if (field.type === 'one2many') write(env, comodel, [id as number], { [field.inverse!]: row.id });
      else linked.push(id as number);
    } else if (code === 5) linked = [];
    else if (code === 6) linked = [...(vals as number[])];
    else throw valueError(`Invalid x2many command ${pyRepr(command)}`);
  }
  if (field.type === 'many2many') env.store.update(model.name, row.id, { [name]: [...new Set(linked)] });
}
