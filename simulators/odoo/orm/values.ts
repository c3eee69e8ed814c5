import { keyError } from '../errors';
import type { Row } from './store';
import type { Env, FieldDef, ModelDef } from './types';

/** The model named `name`, or the `KeyError` Odoo's registry raises. */
export function modelDef(env: Env, name: string): ModelDef {
  const model = env.models.get(name);
  if (!model) throw keyError(name);
  return model;
}

/** Fields every model has in Odoo (`MAGIC_COLUMNS` + `display_name`); no prototype, as field names come from the wire. */
export const magicFields: Record<string, FieldDef> = Object.setPrototypeOf({
  display_name: { type: 'char', string: 'Display Name', readonly: true },
  create_date: { type: 'datetime', string: 'Created on', readonly: true },
  create_uid: { type: 'many2one', string: 'Created by', relation: 'res.users', readonly: true },
  write_date: { type: 'datetime', string: 'Last Updated on', readonly: true },
  write_uid: { type: 'many2one', string: 'Last Updated by', relation: 'res.users', readonly: true },
} satisfies Record<string, FieldDef>, null);

/** The value of one field of a row: stored, computed, or the ids of a one2many. */
export function fieldValue(env: Env, model: ModelDef, row: Row, name: string): unknown {
  if (name === 'id') return row.id;
  if (name === 'display_name') return displayName(env, model, row);
  const field = model.fields[name];
  if (field?.compute) return field.compute(env, row);
  if (field?.type === 'one2many') {
    const ids: number[] = [];
    for (const child of env.store.rows(field.relation!)) if (child[field.inverse!] === row.id) ids.push(child.id);
    return ids.sort((a, b) => a - b);
  }
  const value = row[name];
  if (field?.type === 'many2many') return (value as number[] | undefined) ?? [];
  return value ?? false;
}

export function displayName(env: Env, model: ModelDef, row: Row): string {
  if (model.displayName) return model.displayName(env, row);
  return String(row.name ?? `${model.name},${row.id}`);
}

/** A field's definition including the magic columns. */
export function fieldDef(model: ModelDef, name: string): FieldDef | undefined {
  return model.fields[name] ?? magicFields[name];
}

/**
 * `convert_to_read`: many2one as `[id, display_name]` for the default load (`_classic_read`) or
 * the bare id for any other load, `false` for every empty value, x2many as lists of ids.
 */
export function toRead(env: Env, model: ModelDef, row: Row, name: string, load: unknown): unknown {
  const field = fieldDef(model, name);
  const value = fieldValue(env, model, row, name);
  if (!field) return value;
  if (field.type === 'many2one') {
    if (!value) return false;
    if (load !== '_classic_read') return value;
    const comodel = env.models.get(field.relation!)!;
    const target = env.store.get(comodel.name, value as number);
    return target ? [target.id, displayName(env, comodel, target)] : false;
  }
  if (field.type === 'one2many' || field.type === 'many2many') return value;
  if (field.type === 'boolean') return value === true;
  if (field.type === 'float' || field.type === 'monetary') return typeof value === 'number' ? value : 0;
  if (field.type === 'integer') return typeof value === 'number' ? value : 0;
  return value === null || value === undefined || value === '' ? false : value;
}
