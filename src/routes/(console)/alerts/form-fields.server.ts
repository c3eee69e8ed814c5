/** A form field as trimmed text ('' when absent). */
export const text = (form: FormData, name: string): string => String(form.get(name) ?? '').trim();

/** A form field as a number, or undefined when empty, so the schema says "must be a number". */
export function numberOf(form: FormData, name: string): number | undefined {
  const value = text(form, name);
  return value === '' ? undefined : Number(value);
}

/** An id from a form or a route parameter; 0 (never an id, so "not found") when it is not a positive whole number. */
export function idOf(value: FormDataEntryValue | string | null): number {
  const id = Number(value);
  return Number.isSafeInteger(id) && id > 0 ? id : 0;
}

/** A `datetime-local` value, which the page labels as UTC, as an ISO instant; empty stays undefined. */
export function utcInstant(value: string): string | undefined {
  if (value === '') return undefined;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) ? `${value}Z` : value;
}
