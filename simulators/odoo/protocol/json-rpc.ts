import { accessDenied, keyError, OdooException, typeError, valueError } from '../errors';
import type { OdooInstance } from '../instance';

/**
 * `POST /jsonrpc` → `dispatch_rpc(service, method, args)`: the `common`, `object` and `db`
 * services with positional `args`, as `odoo/service/{common,model,db}.py` define them.
 */
export function dispatchRpc(odoo: OdooInstance, params: Record<string, unknown>): unknown {
  const { service, method } = params;
  const args = Array.isArray(params.args) ? params.args : [];
  if (service === 'common') return common(odoo, String(method), args);
  if (service === 'object') return object(odoo, String(method), args);
  if (service === 'db') return db(odoo, String(method), args);
  throw keyError(String(service));
}

function common(odoo: OdooInstance, method: string, args: unknown[]): unknown {
  switch (method) {
    case 'version':
      return odoo.versionInfo();
    case 'about':
      return args[0] ? ['See http://openerp.com', `${odoo.version}.0`] : 'See http://openerp.com';
    case 'login':
    case 'authenticate': {
      const expected = method === 'login' ? 3 : 4;
      if (args.length < expected) throw typeError(`exp_${method}() missing ${expected - args.length} required positional argument(s)`);
      odoo.checkDatabase(args[0]);
      // Bad credentials are `false` here, never an error (`odoo/service/common.py`).
      return odoo.authenticate(args[1], args[2], false);
    }
    default:
      throw keyError(`exp_${method}`);
  }
}

function object(odoo: OdooInstance, method: string, args: unknown[]): unknown {
  const [database, uid, secret, modelName, name, ...rest] = args;
  if (method !== 'execute' && method !== 'execute_kw') throw new OdooException('builtins.NameError', `Method not available ${method}`);
  if (!Number.isInteger(Number(uid))) throw valueError(`invalid literal for int() with base 10: '${String(uid)}'`);
  odoo.checkDatabase(database);
  const checkedUid = odoo.check(uid, secret);
  const model = odoo.model(modelName);
  if (typeof name !== 'string') throw typeError('attribute name must be string');
  if (method === 'execute') return odoo.execute(checkedUid, model, name, { kind: 'rpc', args: rest, kwargs: {} });
  const [callArgs = [], kwargs = {}] = rest as [unknown[] | undefined, Record<string, unknown> | undefined];
  if (!Array.isArray(callArgs)) throw typeError('execute_kw() args must be a list');
  return odoo.execute(checkedUid, model, name, { kind: 'rpc', args: callArgs, kwargs: kwargs ?? {} });
}

function db(odoo: OdooInstance, method: string, _args: unknown[]): unknown {
  switch (method) {
    case 'list':
      return [odoo.database];
    case 'server_version':
      return `${odoo.version}.0`;
    case 'db_exist':
      return _args[0] === odoo.database;
    case 'list_lang':
      return [['en_US', 'English (US)']];
    default:
      // Every other db method needs the master password, which this server has none of.
      throw accessDenied();
  }
}
