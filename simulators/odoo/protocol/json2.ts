import { asOdooException, OdooException } from '../errors';
import type { OdooInstance } from '../instance';
import { serializeException } from './envelope';
import { parseRequestJson } from './wire-values';

/** A JSON-2 reply: the raw result, or `serialize_exception` with the exception's status. */
export interface Json2Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const hint = 'Did you mean POST /json/2/<model>/<method>?';

/**
 * Odoo 19's JSON-2 API: `POST /json/2/<model>/<method>` with `Authorization: bearer <api key>`.
 * `ids` and `context` are taken out of the body, every other key is a keyword argument, and the
 * result comes back bare. Errors carry the exception's HTTP status.
 */
export function json2(odoo: OdooInstance, method: string, path: string, headers: Record<string, string | string[] | undefined>, body: string): Json2Reply {
  const match = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(path);
  if (method !== 'POST' || !match) return { status: 404, body: hint };
  const [, modelName, methodName] = match;
  const auth = /^bearer\s+(.+)$/i.exec(String(headers.authorization ?? ''));
  const database = headers['x-odoo-database'];
  if (!auth || odoo.authenticate(odoo.login, auth[1].trim(), false) === false) {
    const error = new OdooException('werkzeug.exceptions.Unauthorized', '401 Unauthorized: Invalid apikey', ['Invalid apikey'], 401);
    return { status: 401, body: serializeException(error), headers: { 'www-authenticate': 'bearer' } };
  }
  try {
    if (database !== undefined) odoo.checkDatabase(database);
    let payload: unknown;
    try {
      payload = body ? parseRequestJson(body) : {};
    } catch (error) {
      if (error instanceof SyntaxError) throw new OdooException('werkzeug.exceptions.BadRequest', '400 Bad Request: Invalid JSON data', [], 400);
      throw error;
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
      throw new OdooException('werkzeug.exceptions.BadRequest', '400 Bad Request: the body must be a JSON object', [], 400);
    const { ids = [], context, ...kwargs } = payload as Record<string, unknown>;
    const model = odoo.models.get(modelName);
    if (!model) throw new OdooException('werkzeug.exceptions.NotFound', `404 Not Found: the model '${modelName}' does not exist`, [], 404);
    const result = odoo.execute(odoo.uid, model, methodName, {
      kind: 'json2',
      ids: (Array.isArray(ids) ? ids : [ids]).map(Number),
      kwargs: context ? { ...kwargs, context } : kwargs,
    });
    return { status: 200, body: result ?? null };
  } catch (error) {
    const odooError = asOdooException(error);
    // Wrong arguments are refused before the call, as `inspect.signature(...).bind` does: 422.
    const status = odooError.pythonName === 'builtins.TypeError' ? 422 : odooError.httpStatus;
    return { status, body: serializeException(odooError) };
  }
}
