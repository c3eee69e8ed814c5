import { fail } from '@sveltejs/kit';
import { InvalidScheduleError } from '$lib/alerts/oncall/schedule';
import { actorOf, type Permission } from '$lib/server/auth';
import { refusalOf, requireFormIdentity } from '$lib/server/requests';

/**
 * `formAction` for pages with several forms: the hidden field `form` names the one submitted
 * (`rule:stuck-orders`, `schedule:primary`), and the answer carries it as `on`, so the page shows
 * the message next to that form and not beside every one. Refusals become failures with the
 * backend's own message, as `formAction` does; an invalid
 * schedule's issues come along as `issues`, so its form marks each field.
 */
export async function alertFormAction<Extra extends Record<string, unknown> = Record<never, never>>(
  event: { request: Request; locals: App.Locals },
  permission: Permission,
  work: (form: FormData, actor: string) => string | Promise<string>,
  extra?: (form: FormData) => Extra,
) {
  const form = await event.request.formData();
  const identity = requireFormIdentity(event.locals.identity, form, permission);
  const on = String(form.get('form') ?? '');
  const more = extra?.(form) ?? ({} as Extra);
  try {
    return { ok: true as const, on, message: await work(form, actorOf(identity)), ...more };
  } catch (failure) {
    const refusal = refusalOf(failure);
    const issues = failure instanceof InvalidScheduleError ? failure.issues : undefined;
    if (refusal) return fail(refusal.status, { on, message: refusal.message, issues, ...more });
    throw failure;
  }
}

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
