import { describe, expect, it } from 'vitest';
import { categoryOf } from '../../errors';
import { classifyOdooFault, OdooServerError } from './errors';

const category = (name: string, message = 'x') => categoryOf(classifyOdooFault({ name, message }));

describe('classifyOdooFault', () => {
  it('maps Odoo exception names to taxonomy categories', () => {
    expect(category('odoo.exceptions.AccessDenied', 'Access Denied')).toBe('auth_failure');
    expect(category('odoo.exceptions.AccessError', 'You are not allowed to modify this document')).toBe('auth_failure');
    expect(category('odoo.http.SessionExpiredException', 'Session expired')).toBe('auth_failure');
    expect(category('werkzeug.exceptions.Unauthorized', '401 Unauthorized: Invalid apikey')).toBe('auth_failure');
    expect(category('odoo.exceptions.MissingError', 'One of the documents you are trying to access has been deleted')).toBe('master_data_mismatch');
    expect(category('psycopg2.OperationalError', 'FATAL: the database system is shutting down')).toBe('partner_unavailable');
    expect(category('psycopg2.OperationalError', 'connection to server failed: FATAL:  database "prod" does not exist')).toBe('auth_failure');
    expect(category('builtins.ValueError', "Invalid field 'x' on model 'y'")).toBe('validation_error');
  });

  it('reads the message of UserError and ValidationError, and only there', () => {
    expect(category('odoo.exceptions.UserError', 'Some orders are not in a state requiring confirmation.')).toBe('sequence_error');
    expect(category('odoo.exceptions.UserError', 'You cannot validate a transfer if no quantities are reserved. To force the transfer, encode quantities.')).toBe('sequence_error');
    expect(category('odoo.exceptions.UserError', 'You may only return Done pickings.')).toBe('sequence_error');
    expect(category('odoo.exceptions.UserError', "The unit of measure Units defined on the order line doesn't belong to the same category as the unit of measure kg")).toBe('master_data_mismatch');
    expect(category('odoo.exceptions.UserError', 'There is not enough stock of ACM-1001 in WH/Stock.')).toBe('inventory_mismatch');
    expect(category('odoo.exceptions.UserError', "Quant's editing is restricted, you can't do this operation.")).toBe('validation_error');
    expect(category('odoo.exceptions.ValidationError', 'The operation cannot be completed: a mandatory field is not set.')).toBe('validation_error');
    // The same words under another exception do not change its category.
    expect(category('odoo.exceptions.AccessDenied', 'not in a state requiring confirmation')).toBe('auth_failure');
  });

  it('keeps what it cannot place as unknown, and says where it happened', () => {
    const error = classifyOdooFault({ name: 'builtins.RecursionError', message: 'maximum recursion depth exceeded', model: 'stock.picking', method: 'button_validate' });
    expect(error).toBeInstanceOf(OdooServerError);
    expect(categoryOf(error)).toBe('unknown');
    expect(error.message).toBe('Odoo RecursionError (stock.picking.button_validate): maximum recursion depth exceeded');
  });
});
