import { describe, expect, it } from 'vitest';
import { redact } from './redact';

describe('redact', () => {
  it.each([
    ['an email address', 'login jane.doe+ops@acme-logistics.co.uk refused', 'login [email] refused'],
    ['an international phone number', 'call the depot on +44 20 7946 0958 before noon', 'call the depot on [phone] before noon'],
    ['a North American phone number', 'contact (555) 123-4567 or 555-987-6543', 'contact [phone] or [phone]'],
    ['a national phone number', 'Rückruf unter 030 1234 5678', 'Rückruf unter [phone]'],
    ['a labelled phone field', '{"phone":"+1 (555) 010-9999","qty":3}', '{"phone":[personal],"qty":3}'],
    ['a street address', 'deliver to 221B Baker Street, London NW1', 'deliver to [address], London NW1'],
    ['a German street address', 'Lieferadresse Hauptstraße 12a, 10115 Berlin', 'Lieferadresse [address], 10115 Berlin'],
    ['a labelled address field', 'ship_to.street: "1 Infinite Loop" is too long', 'ship_to.street: [personal] is too long'],
    ['a bearer token', 'GET /orders Authorization Bearer abcdef0123456789xyz', 'GET /orders Authorization Bearer [secret]'],
    ['a JWT', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U expired', 'token [jwt] expired'],
    ['credentials in a URL', 'connect sftp://crossdock:hunter2@sftp.3pl.example:22/inbound failed', 'connect sftp://[credentials]@sftp.3pl.example:22/inbound failed'],
    ['an API key in a query string', 'GET https://wms.example/v1/stock?api_key=9f8e7d6c5b4a&page=2 401', 'GET https://wms.example/v1/stock?api_key=[secret]&page=2 401'],
    ['a password as key=value', 'odoo login failed password=S3cr3t! db=crossdock', 'odoo login failed password=[secret] db=crossdock'],
    ['a secret as a JSON member', '{"client_secret":"abc123","grant_type":"client_credentials"}', '{"client_secret":[secret],"grant_type":"client_credentials"}'],
    ['an OpenAI-style key', 'used key sk-proj-AbCdEfGhIjKlMnOpQrStUvWx for the call', 'used key [api-key] for the call'],
    ['an AWS access key id', 'S3 upload with AKIAIOSFODNN7EXAMPLE denied', 'S3 upload with [api-key] denied'],
    ['a long random secret without a label', 'X-Signature aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3 rejected', 'X-Signature [secret] rejected'],
    ['a card number', 'payment card 4111 1111 1111 1111 declined', 'payment card [card] declined'],
    ['an IBAN', 'refund to DE89 3704 0044 0532 0130 00 failed', 'refund to [iban] failed'],
  ])('removes %s', (_what, input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it.each([
    ['HTTP statuses and ports', 'POST /v2/orders answered 429 Too Many Requests from 10.0.0.5:443'],
    ['dates and times', 'no 997 since 2025-03-01 06:00:00 (now 14:00)'],
    ['X12 control numbers and segments', 'ISA13 000000451 rejected: AK5*R*5 / AK9*R*1*1*0'],
    ['quantities and SKUs', 'stock difference qty wms 12 odoo 15 for TB-1001 at WH/Stock'],
    ['Odoo records and order names', 'odoo.exceptions.MissingError: Record does not exist (Record: product.product(1204,), User: 6) on S00042'],
    ['trace ids', 'trace 4bf92f3577b34da6a3ce929d0e0e4736 span 00f067aa0ba902b7'],
    ['words that describe a credential', 'refresh token: expired; invalid_token; password authentication failed'],
  ])('keeps %s, which the classifier needs', (_what, input) => {
    expect(redact(input)).toBe(input);
  });
});
