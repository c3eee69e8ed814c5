import {
  AuthFailureError,
  type IntegrationError,
  InventoryMismatchError,
  MasterDataError,
  PartnerUnavailableError,
  SequenceError,
  ValidationError,
} from '../../errors';

/** What Odoo said went wrong: `data.name` and `data.message` of an envelope, or a JSON-2 body. */
export interface OdooFault {
  /** Python's `module.Class`, e.g. `odoo.exceptions.UserError`. */
  name: string;
  message: string;
  /** The model and method called, for the operator. */
  model?: string;
  method?: string;
}

/** An Odoo failure no taxonomy category fits (a server bug, an unknown exception): category `unknown`. */
export class OdooServerError extends Error {
  constructor(
    message: string,
    readonly fault: OdooFault,
  ) {
    super(message);
    this.name = 'OdooServerError';
  }
}

// A UserError/ValidationError carries no machine-readable reason, only its text. These patterns
// are the one place that reads Odoo's messages; every retry decision downstream reads the
// category of the typed error produced here.
const sequencePatterns = [
  /not in a state requiring confirmation/i,
  /no quantities are reserved/i,
  /only return done pickings/i,
  /nothing to check the availability/i,
  /locked order/i,
  /already (done|validated|cancel)/i,
  /invalid state/i,
];
const masterDataPatterns = [/unit of measure/i, /same category/i, /doesn't exist/i, /does not exist/i, /no product/i, /unknown (product|location|warehouse)/i];
const inventoryPatterns = [/not enough (stock|quantity)/i, /insufficient/i, /negative (stock|quantit)/i, /inventory (adjustment|conflict)/i];

/**
 * The single classification point from Odoo's exceptions to the taxonomy: AccessDenied /
 * AccessError / an expired session → `auth_failure`; MissingError → `master_data_mismatch`;
 * UserError / ValidationError → sequence, master data, inventory or validation as the message
 * says; database connection trouble → `partner_unavailable`; ValueError/TypeError (our call was
 * malformed) → `validation_error`; anything else stays `unknown`.
 */
export function classifyOdooFault(fault: OdooFault): IntegrationError | OdooServerError {
  const where = fault.model ? ` (${fault.model}.${fault.method})` : '';
  const text = `Odoo ${fault.name.split('.').pop()}${where}: ${fault.message}`;
  const details = { odooException: fault.name, odooMessage: fault.message, model: fault.model, method: fault.method };
  switch (fault.name) {
    case 'odoo.exceptions.AccessDenied':
    case 'odoo.exceptions.AccessError':
    case 'odoo.http.SessionExpiredException':
    case 'werkzeug.exceptions.Unauthorized':
    case 'werkzeug.exceptions.Forbidden':
      return new AuthFailureError(text, details);
    case 'odoo.exceptions.MissingError':
      return new MasterDataError(text, details);
    case 'odoo.exceptions.UserError':
    case 'odoo.exceptions.ValidationError':
    case 'odoo.exceptions.RedirectWarning': {
      if (sequencePatterns.some((p) => p.test(fault.message))) return new SequenceError(text, details);
      if (masterDataPatterns.some((p) => p.test(fault.message))) return new MasterDataError(text, details);
      if (inventoryPatterns.some((p) => p.test(fault.message))) return new InventoryMismatchError(text, details);
      return new ValidationError(text, details);
    }
    case 'psycopg2.OperationalError':
      // A database that does not exist is our configuration, not an outage: retrying cannot help.
      if (/database "[^"]*" does not exist/.test(fault.message)) return new AuthFailureError(text, details);
      return new PartnerUnavailableError(text, details);
    case 'psycopg2.errors.SerializationFailure':
    case 'odoo.exceptions.ConcurrencyError':
    case 'odoo.exceptions.LockError':
      return new PartnerUnavailableError(text, details);
    case 'builtins.ValueError':
    case 'builtins.TypeError':
    case 'builtins.KeyError':
    case 'builtins.AttributeError':
    case 'werkzeug.exceptions.BadRequest':
    case 'werkzeug.exceptions.NotFound':
    case 'werkzeug.exceptions.UnprocessableEntity':
      return new ValidationError(text, details);
    default:
      return new OdooServerError(text, fault);
  }
}
