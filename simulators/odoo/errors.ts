/**
 * Odoo's exceptions as the wire sees them. `name` is Python's `module.Class` (what JSON-RPC puts
 * in `error.data.name`), `args` is `exc.args`, and the XML-RPC fault code and JSON-2 status follow
 * `odoo/addons/base/controllers/rpc.py` and `odoo/exceptions.py` (19).
 */
export class OdooException extends Error {
  constructor(
    readonly pythonName: string,
    message: string,
    readonly args: unknown[] = [message],
    /** HTTP status JSON-2 answers with (`http_status` in 19). */
    readonly httpStatus = 500,
    /** `faultCode` on `/xmlrpc/2/*`: 1 application error, 2 warning, 3 access denied, 4 access error. */
    readonly faultCode = 1,
  ) {
    super(message);
  }
}

export const userError = (message: string) => new OdooException('odoo.exceptions.UserError', message, [message], 422, 2);
export const validationError = (message: string) =>
  new OdooException('odoo.exceptions.ValidationError', message, [message], 422, 2);
export const accessDenied = (message = 'Access Denied') =>
  new OdooException('odoo.exceptions.AccessDenied', message, [message], 403, 3);
export const accessError = (message: string) => new OdooException('odoo.exceptions.AccessError', message, [message], 403, 4);
// MissingError subclasses UserError, so XML-RPC reports it as a warning (code 2).
export const missingError = (message: string) => new OdooException('odoo.exceptions.MissingError', message, [message], 404, 2);
export const valueError = (message: string) => new OdooException('builtins.ValueError', message, [message], 500, 1);
export const typeError = (message: string) => new OdooException('builtins.TypeError', message, [message], 500, 1);
export const attributeError = (message: string) =>
  new OdooException('builtins.AttributeError', message, [message], 404, 1);
/** `str(KeyError('x'))` is `'x'` with the quotes. */
export const keyError = (key: string) => new OdooException('builtins.KeyError', `'${key}'`, [key], 404, 1);

/** The message Odoo's `_check_records` / write path gives for ids that no longer exist. */
export function missingRecords(model: string, operation: string, ids: number[], uid: number): OdooException {
  return missingError(
    `One of the documents you are trying to access has been deleted, please try again after refreshing.\n\n(Document type: ${model}, Operation: ${operation}, Records: [${ids.join(', ')}], User: ${uid})`,
  );
}

/** A Python-looking traceback for `data.debug`; clients must not parse it, but it must be there. */
export function debugText(error: OdooException): string {
  return `Traceback (most recent call last):\n  File "/opt/odoo/odoo/http.py", line 1764, in _serve_db\n    return service_model.retrying(self._serve_ir_http, self.env)\n${error.pythonName}: ${error.message}\n`;
}

/** Any thrown value as an Odoo exception: our own, or an unexpected bug shown as Python would. */
export function asOdooException(error: unknown): OdooException {
  if (error instanceof OdooException) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new OdooException('builtins.Exception', message, [message], 500, 1);
}
