import { asOdooException, debugText, OdooException } from '../errors';
import type { OdooInstance } from '../instance';
import { dispatchRpc } from './json-rpc';
import { decodeCall, encodeFault, encodeResponse, MarshalError } from './xml-rpc-codec';

/**
 * `POST /xmlrpc/2/<service>`: the same `dispatch_rpc` as `/jsonrpc`, with integer fault codes
 * (`xmlrpc_handle_exception_int`): 1 application error (with the traceback as the string),
 * 2 UserError and its subclasses, 3 AccessDenied, 4 AccessError. Always HTTP 200, `text/xml`.
 */
export function xmlRpc(odoo: OdooInstance, service: string, body: string): string {
  try {
    const { method, params } = decodeCall(body);
    const result = dispatchRpc(odoo, { service, method, args: params });
    try {
      return encodeResponse(result);
    } catch (error) {
      if (error instanceof MarshalError) throw new OdooException('builtins.TypeError', error.message);
      throw error;
    }
  } catch (error) {
    const odooError = asOdooException(error);
    if (odooError.faultCode === 1) return encodeFault(1, debugText(odooError));
    return encodeFault(odooError.faultCode, odooError.message);
  }
}
