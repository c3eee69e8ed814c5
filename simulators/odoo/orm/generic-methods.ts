import { typeError, valueError } from '../errors';
import { pyRepr, pyTypeName } from './python';
import { create, read, search, unlink, write } from './records';
import type { MethodDef, ModelDef } from './types';
import { displayName, fieldDef, magicFields } from './values';

const ids = (value: unknown): number[] => (Array.isArray(value) ? value.map(Number) : [Number(value)]);

/** The ORM methods every model has (`odoo/models.py`), with their Python signatures (no prototype: names come from the wire). */
export const genericMethods: Record<string, MethodDef> = Object.setPrototypeOf({
  search: {
    api: 'model',
    params: ['domain', 'offset', 'limit', 'order'],
    required: ['domain'],
    run: (env, _ids, kw) => search(env, env.models.get(String(kw.__model))!, kw.domain, kw),
  },
  search_count: {
    api: 'model',
    params: ['domain', 'limit'],
    required: ['domain'],
    run: (env, _ids, kw) => search(env, env.models.get(String(kw.__model))!, kw.domain, { limit: kw.limit as number }).length,
  },
  search_read: {
    api: 'model',
    params: ['domain', 'fields', 'offset', 'limit', 'order'],
    varKeywords: true,
    run: (env, _ids, kw) => {
      const model = env.models.get(String(kw.__model))!;
      const found = search(env, model, kw.domain, kw);
      return read(env, model, found, kw.fields, kw.load ?? '_classic_read');
    },
  },
  read: {
    api: 'record',
    params: ['fields', 'load'],
    run: (env, recordIds, kw) => read(env, env.models.get(String(kw.__model))!, recordIds, kw.fields, kw.load ?? '_classic_read'),
  },
  create: {
    api: 'model',
    params: ['vals_list'],
    required: ['vals_list'],
    run: (env, _ids, kw) => {
      const model = env.models.get(String(kw.__model))!;
      if (Array.isArray(kw.vals_list)) return kw.vals_list.map((vals) => create(env, model, vals as Record<string, unknown>));
      if (typeof kw.vals_list !== 'object' || kw.vals_list === null) throw valueError(`Invalid create values ${pyRepr(kw.vals_list)}`);
      return create(env, model, kw.vals_list as Record<string, unknown>);
    },
  },
  write: {
    api: 'record',
    params: ['vals'],
    required: ['vals'],
    run: (env, recordIds, kw) => write(env, env.models.get(String(kw.__model))!, recordIds, kw.vals as Record<string, unknown>),
  },
  unlink: {
    api: 'record',
    params: [],
    run: (env, recordIds, kw) => unlink(env, env.models.get(String(kw.__model))!, recordIds),
  },
  fields_get: {
    api: 'model',
    params: ['allfields', 'attributes'],
    run: (env, _ids, kw) => fieldsGet(env.models.get(String(kw.__model))!, kw.allfields, kw.attributes),
  },
  name_search: {
    api: 'model',
    params: ['name', 'domain', 'operator', 'limit'],
    run: (env, _ids, kw) => {
      const model = env.models.get(String(kw.__model))!;
      const name = typeof kw.name === 'string' ? kw.name : '';
      const operator = typeof kw.operator === 'string' ? kw.operator : 'ilike';
      if (kw.domain && !Array.isArray(kw.domain)) throw valueError(`Invalid domain: ${pyRepr(kw.domain)}`);
      const domain = [...((kw.domain || []) as unknown[])];
      const recName = 'name' in model.fields ? 'name' : 'id';
      // default_code is searched too on products, as `product.product._name_search` does.
      if (name && model.name === 'product.product') domain.push('|', ['default_code', operator, name], ['name', operator, name]);
      else if (name) domain.push([recName, operator, name]);
      const found = search(env, model, domain, { limit: kw.limit === undefined ? 100 : (kw.limit as number) });
      return found.map((id) => [id, displayName(env, model, env.store.get(model.name, id)!)]);
    },
  },
  default_get: {
    api: 'model',
    params: ['fields_list'],
    required: ['fields_list'],
    run: (env, _ids, kw) => {
      const model = env.models.get(String(kw.__model))!;
      const out: Record<string, unknown> = {};
      const names = kw.fields_list ?? [];
      if (typeof names !== 'string' && !Array.isArray(names)) throw typeError(`'${pyTypeName(names)}' object is not iterable`);
      for (const name of names as string[]) {
        const field = model.fields[name];
        if (field?.default) out[name] = field.default(env, {});
      }
      return out;
    },
  },
} satisfies Record<string, MethodDef>, null);

/** `fields_get`: the description odoorpc and other clients build their model proxies from. */
export function fieldsGet(model: ModelDef, allfields: unknown, attributes: unknown): Record<string, Record<string, unknown>> {
  const names = Array.isArray(allfields) && allfields.length ? (allfields as string[]) : ['id', ...Object.keys(model.fields), ...Object.keys(magicFields)];
  const out: Record<string, Record<string, unknown>> = {};
  for (const name of names) {
    const field = name === 'id' ? { type: 'integer' as const, string: 'ID', readonly: true } : fieldDef(model, name);
    if (!field) continue;
    const description: Record<string, unknown> = {
      type: field.type,
      string: field.string,
      help: field.help ?? false,
      readonly: Boolean(field.readonly || ('compute' in field && field.compute)),
      required: Boolean(field.required),
      store: !('compute' in field && field.compute) && field.type !== 'one2many' && name !== 'display_name',
      searchable: true,
      sortable: field.type !== 'one2many' && field.type !== 'many2many',
      manual: false,
      depends: [],
      company_dependent: false,
      exportable: true,
      groupable: field.type !== 'one2many',
      name,
      context: {},
      domain: [],
    };
    if ('relation' in field && field.relation) description.relation = field.relation;
    if ('inverse' in field && field.inverse) description.relation_field = field.inverse;
    if ('selection' in field && field.selection) description.selection = field.selection;
    out[name] = Array.isArray(attributes) && attributes.length
      ? Object.fromEntries(Object.entries(description).filter(([k]) => (attributes as string[]).includes(k)))
      : description;
  }
  return out;
}

export { ids as idList };
