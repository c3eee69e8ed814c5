import { accessError, attributeError, typeError } from '../errors';
import { genericMethods, idList } from './generic-methods';
import type { Env, MethodDef, ModelDef } from './types';

/** How a method was called: positional `args` + `kwargs` (RPC), or named keys only (JSON-2). */
export type CallShape = { kind: 'rpc'; args: unknown[]; kwargs: Record<string, unknown> } | { kind: 'json2'; ids: number[]; kwargs: Record<string, unknown> };

/** Finds a public method, with Odoo's refusals for private and missing ones. */
export function resolveMethod(model: ModelDef, name: string): MethodDef {
  if (name.startsWith('_')) throw accessError(`Private methods (such as ${name}) cannot be called remotely.`);
  const method = model.methods?.[name] ?? genericMethods[name];
  if (!method) throw attributeError(`The method '${name}' does not exist on the model '${model.name}'`);
  return method;
}

/**
 * `odoo.api.call_kw`: splits off the context, takes the ids of a record method from `args[0]`,
 * binds the rest to the method's parameters as Python would, and runs it. A recordset result is
 * already a list of ids here.
 */
export function callKw(env: Env, model: ModelDef, name: string, call: CallShape): unknown {
  const method = resolveMethod(model, name);
  const kwargs = { ...call.kwargs };
  if (kwargs.context && typeof kwargs.context === 'object') env.context = { ...env.context, ...(kwargs.context as object) };
  delete kwargs.context;
  let ids: number[] = [];
  let positional: unknown[] = [];
  if (call.kind === 'rpc') {
    positional = [...call.args];
    if (method.api === 'record') {
      if (positional.length === 0) throw typeError(`${name}() missing 1 required positional argument: 'self'`);
      ids = idList(positional.shift());
    }
  } else {
    ids = call.ids;
    if (method.api === 'model' && ids.length > 0) throw typeError(`${name}() is a model method and takes no ids`);
  }
  if (positional.length > method.params.length)
    throw typeError(`${name}() takes ${method.params.length + 1} positional arguments but ${positional.length + 1} were given`);
  // Keyword names come from the wire: `__proto__` or `toString` must be plain keys here.
  const bound: Record<string, unknown> = Object.create(null);
  positional.forEach((value, index) => (bound[method.params[index]] = value));
  for (const [key, value] of Object.entries(kwargs)) {
    if (!method.params.includes(key) && !method.varKeywords) throw typeError(`${name}() got an unexpected keyword argument '${key}'`);
    if (key in bound) throw typeError(`${name}() got multiple values for argument '${key}'`);
    bound[key] = value;
  }
  for (const required of method.required ?? [])
    if (!(required in bound)) throw typeError(`${name}() missing 1 required positional argument: '${required}'`);
  bound.__model = model.name;
  return method.run(env, ids, bound);
}
