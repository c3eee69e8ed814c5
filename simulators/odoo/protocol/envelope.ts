import { debugText, OdooException } from '../errors';

/** A JSON-RPC request as Odoo reads it: only `params` (by name) and `id` matter; `method` is ignored. */
export interface JsonRpcRequest {
  id: unknown;
  params: Record<string, unknown>;
}

/** `serialize_exception`: the `data` of an error envelope, and the whole body of a JSON-2 error. */
export function serializeException(error: OdooException) {
  return { name: error.pythonName, message: error.message, arguments: error.args, context: {}, debug: debugText(error) };
}

/**
 * The success envelope. When the method returned None, Odoo leaves `result` out altogether
 * (`JsonRPCDispatcher._response`); `false` is still sent.
 */
export function resultEnvelope(id: unknown, result: unknown) {
  return result === undefined || result === null ? { jsonrpc: '2.0', id } : { jsonrpc: '2.0', id, result };
}

/** The error envelope: HTTP 200, `code` 200 (17/18) or 0 (19), except Odoo's special codes. */
export function errorEnvelope(id: unknown, error: OdooException, version: number) {
  let code = version >= 19 ? 0 : 200;
  let message = 'Odoo Server Error';
  if (error.pythonName === 'werkzeug.exceptions.NotFound') {
    code = 404;
    message = '404: Not Found';
  } else if (error.pythonName === 'odoo.http.SessionExpiredException') {
    code = 100;
    message = 'Odoo Session Expired';
  }
  return { jsonrpc: '2.0', id, error: { code, message, data: serializeException(error) } };
}

export const sessionExpired = () => new OdooException('odoo.http.SessionExpiredException', 'Session expired', ['Session expired'], 403, 1);
export const notFound = () =>
  new OdooException(
    'werkzeug.exceptions.NotFound',
    '404 Not Found: The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.',
    [],
    404,
    1,
  );
