import { valueError } from '../errors';
import { leafRepr, pyRepr } from './python';
import type { Row } from './store';
import type { Env, ModelDef } from './types';
import { fieldDef, fieldValue, modelDef } from './values';

const OPERATORS = new Set(['=', '!=', '<>', '<=', '<', '>', '>=', '=?', '=like', '=ilike', 'like', 'not like', 'ilike', 'not ilike', 'in', 'not in', 'child_of', 'parent_of']);

type Node = { op: '&' | '|'; left: Node; right: Node } | { op: '!'; child: Node } | { op: 'leaf'; leaf: unknown[] };

/**
 * Compiles an Odoo domain (Polish notation, implicit `&` between terms) into a predicate over
 * rows, refusing unknown fields and operators with Odoo's messages.
 */
export function compileDomain(env: Env, model: ModelDef, domain: unknown): (row: Row) => boolean {
  if (domain === undefined || domain === null || domain === false) return () => true;
  if (!Array.isArray(domain)) throw valueError(`Invalid domain: ${pyRepr(domain)}`);
  const terms = [...domain];
  const parse = (): Node => {
    const term = terms.shift();
    if (term === '&' || term === '|') return { op: term, left: parse(), right: parse() };
    if (term === '!') return { op: '!', child: parse() };
    if (!Array.isArray(term) || term.length !== 3) throw valueError(`Invalid leaf ${pyRepr(term)}`);
    return { op: 'leaf', leaf: term };
  };
  const nodes: Node[] = [];
  while (terms.length > 0) nodes.push(parse());
  const root = nodes.reduce<Node | undefined>((acc, node) => (acc ? { op: '&', left: acc, right: node } : node), undefined);
  if (!root) return () => true;
  validate(env, model, root);
  const test = (node: Node, row: Row): boolean => {
    if (node.op === '&') return test(node.left, row) && test(node.right, row);
    if (node.op === '|') return test(node.left, row) || test(node.right, row);
    if (node.op === '!') return !test(node.child, row);
    if (node.op !== 'leaf') return false;
    return evalLeaf(env, model, row, node.leaf);
  };
  return (row) => test(root, row);
}

function validate(env: Env, model: ModelDef, node: Node): void {
  if (node.op === '&' || node.op === '|') {
    validate(env, model, node.left);
    validate(env, model, node.right);
  } else if (node.op === '!') validate(env, model, node.child);
  else if (node.op === 'leaf') {
    const [path, operator] = node.leaf;
    if (typeof path === 'number') return; // TRUE_LEAF / FALSE_LEAF
    if (!OPERATORS.has(String(operator))) throw valueError(`Invalid leaf ${leafRepr(node.leaf)}`);
    let current = model;
    for (const part of String(path).split('.')) {
      const field = part === 'id' ? { type: 'integer' } : fieldDef(current, part);
      if (!field) throw valueError(`Invalid field ${current.name}.${part} in leaf ${leafRepr(node.leaf)}`);
      if ('relation' in field && field.relation) current = modelDef(env, field.relation);
    }
  }
}

/** The values a (possibly dotted) path reaches from a row; many2one and x2many fan out. */
function valuesAt(env: Env, model: ModelDef, row: Row, path: string[]): unknown[] {
  const [head, ...rest] = path;
  const value = head === 'id' ? row.id : fieldValue(env, model, row, head);
  if (rest.length === 0) return [value];
  const field = fieldDef(model, head)!;
  const comodel = modelDef(env, field.relation!);
  const ids = field.type === 'many2one' ? (value ? [value as number] : []) : ((value as number[]) ?? []);
  return ids.flatMap((id) => {
    const next = env.store.get(comodel.name, id);
    return next ? valuesAt(env, comodel, next, rest) : [];
  });
}

function evalLeaf(env: Env, model: ModelDef, row: Row, leaf: unknown[]): boolean {
  const [path, rawOp, target] = leaf;
  if (typeof path === 'number') return path === target;
  const op = rawOp === '<>' ? '!=' : String(rawOp);
  const parts = String(path).split('.');
  if (op === 'child_of' || op === 'parent_of') return hierarchy(env, model, row, parts, op, target);
  const values = valuesAt(env, model, row, parts).flatMap((v) => (Array.isArray(v) ? (v.length ? v : [false]) : [v]));
  if (values.length === 0) values.push(false);
  const negative = op === '!=' || op === 'not in' || op === 'not like' || op === 'not ilike';
  // Negative operators hold when no value matches the positive form (SQL NOT IN over a join).
  if (negative) return !values.some((v) => compare(v, positiveOf(op), target));
  return values.some((v) => compare(v, op, target));
}

const positiveOf = (op: string) => ({ '!=': '=', 'not in': 'in', 'not like': 'like', 'not ilike': 'ilike' })[op] ?? op;

function empty(v: unknown): boolean {
  return v === false || v === null || v === undefined || v === '';
}

function likePattern(target: unknown, anchored: boolean, insensitive: boolean): RegExp {
  const text = String(target).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = anchored ? text.replace(/%/g, '.*').replace(/_/g, '.') : `.*${text}.*`;
  return new RegExp(`^${pattern}$`, insensitive ? 'is' : 's');
}

function compare(value: unknown, op: string, target: unknown): boolean {
  switch (op) {
    case '=':
      if (target === false || target === null) return empty(value);
      return value === target || (typeof value === 'number' && Number(target) === value && typeof target !== 'boolean');
    case '=?':
      return target === false || target === null || target === undefined ? true : compare(value, '=', target);
    case 'in': {
      const list = Array.isArray(target) ? target : [target];
      return list.some((t) => compare(value, '=', t));
    }
    case '<':
    case '>':
    case '<=':
    case '>=': {
      if (empty(value)) return false;
      const a = value as number | string;
      const b = typeof a === 'number' ? Number(target) : (target as string);
      return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
    }
    case 'like':
    case 'ilike':
      return !empty(value) && likePattern(target, false, op === 'ilike').test(String(value));
    case '=like':
    case '=ilike':
      return !empty(value) && likePattern(target, true, op === '=ilike').test(String(value));
    default:
      return false;
  }
}

/** `child_of` / `parent_of` over the model's `parent` many2one (`location_id`, `parent_id`). */
function hierarchy(env: Env, model: ModelDef, row: Row, parts: string[], op: string, target: unknown): boolean {
  const targets = new Set((Array.isArray(target) ? target : [target]).map(Number));
  const ids = valuesAt(env, model, row, parts).flatMap((v) => (Array.isArray(v) ? v : v ? [v] : [])) as number[];
  const comodelName = parts.length === 1 && parts[0] === 'id' ? model.name : relationAt(env, model, parts);
  const parentField = comodelName === 'stock.location' ? 'location_id' : 'parent_id';
  const ancestors = (id: number): number[] => {
    const chain: number[] = [];
    for (let current: number | undefined = id; current; ) {
      chain.push(current);
      const parent: unknown = env.store.get(comodelName, current)?.[parentField];
      current = typeof parent === 'number' ? parent : undefined;
    }
    return chain;
  };
  if (op === 'child_of') return ids.some((id) => ancestors(id).some((a) => targets.has(a)));
  return ids.some((id) => [...targets].some((t) => ancestors(t).includes(id)));
}

function relationAt(env: Env, model: ModelDef, parts: string[]): string {
  let current = model;
  for (const part of parts) current = modelDef(env, current.fields[part].relation!);
  return current.name;
}
