import { asOdooException, debugText, OdooException } from '../errors';
import type { OdooInstance } from '../instance';
import { dispatchRpc } from './json-rpc';
import { decodeCall, encodeFault, encodeResponse, MarshalError } from './xml-rpc-codec';

/**
 * `POST /xmlrpc/<service>`, the legacy route: string fault codes (`xmlrpc_handle_exception_string`),
 * kept by Odoo for old clients.
 */
export function legacyFault(error: OdooException): { faultCode: string; faultString: string } {
  const warning = (kind: string) => ({ faultCode: `warning -- ${kind}\n\n${error.message}`, faultString: '' });
  switch (error.pythonName) {
    case 'odoo.exceptions.RedirectWarning':
      return warning('Warning');
    case 'odoo.exceptions.MissingError':
      return warning('MissingError');
    case 'odoo.exceptions.AccessError':
      return warning('AccessError');
    case 'odoo.exceptions.AccessDenied':
      return { faultCode: 'AccessDenied', faultString: error.message };
    case 'odoo.exceptions.UserError':
    case 'odoo.exceptions.ValidationError':
      return warning('UserError');
    default:
      return { faultCode: error.message, faultString: debugText(error) };
  }
}

/**
 * `POST /xmlrpc/2/<service>`: the same `dispatch_rpc` as `/jsonrpc`, with integer fault codes
 * (`xmlrpc_handle_exception_int`): 1 application error (with the traceback as the string),
 * 2 UserError and its subclasses, 3 AccessDenied, 4 AccessError. Always HTTP 200, `text/xml`.
 */
export function xmlRpc(odoo: OdooInstance, service: string, body: string, legacy = false): string {
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
    if (legacy) {
      const fault = legacyFault(odooError);
      return encodeFault(fault.faultCode, fault.faultString);
    }
    if (odooError.faultCode === 1) return encodeFault(1, debugText(odooError));
    return encodeFault(odooError.faultCode, odooError.message);
  }
}
