/**
 * Python's `repr`, for error messages that Odoo builds with `%r` (`Invalid field 'x' on model
 * 'y'`, leaves shown as tuples). JSON arrays arrive as Python lists.
 */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
  if (typeof value === 'string') return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`)
    .join(', ')}}`;
}

/** `type(value).__name__` for a JSON value, as Python's TypeError and AttributeError messages name it. */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  return Array.isArray(value) ? 'list' : 'dict';
}

/** A domain leaf as Odoo prints it: a tuple. */
export const leafRepr = (leaf: unknown[]) => `(${leaf.map(pyRepr).join(', ')})`;

/** `fields.Datetime.to_string`: UTC, seconds, no microseconds. */
export function odooDatetime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** Python truthiness for JSON values, as domain `=?` and `or` defaults use it. */
export const truthy = (value: unknown) =>
  !(value === false || value === null || value === undefined || value === 0 || value === '' || (Array.isArray(value) && value.length === 0));
