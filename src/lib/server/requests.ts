import { error, fail, json } from '@sveltejs/kit';
import { ZodError, type z } from 'zod';
import { AlertingError } from '../alerts/errors';
import { OutboxError, TemplateError } from '../alerts/email';
import { InvalidScheduleError } from '../alerts/oncall/schedule';
import { TriageError } from '../exceptions';
import { RemediationError } from '../remediation';
import { actorOf, requirePermission, type Identity, type Permission } from './auth';

/**
 * A form action's caller: signed in, holding `permission`, and proving with the page's CSRF
 * token that the form came from our pages (SvelteKit's origin check is the other half).
 */
export function requireFormIdentity(identity: Identity | undefined, form: FormData, permission: Permission): Identity {
  const caller = requirePermission(identity, permission);
  if (caller.kind === 'user' && form.get('csrf') !== caller.csrfToken) error(403, 'this form is stale or did not come from the console: reload the page and try again');
  return caller;
}

/** The JSON body of an API call, validated; a bad body is a 400 or 422 naming the field. */
export async function readBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch (failure) {
    // The server's body limit (adapter-node's BODY_SIZE_LIMIT) surfaces here as an error with status 413.
    if ((failure as { status?: number }).status === 413) error(413, `the body is too large: ${(failure as Error).message}`);
    error(400, 'the body must be JSON');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    error(422, `invalid ${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  return parsed.data;
}

/** The HTTP status and message of a refused triage or remediation step, or undefined for other errors. */
export function refusalOf(failure: unknown): { status: number; message: string } | undefined {
  if (failure instanceof TriageError || failure instanceof RemediationError || failure instanceof AlertingError) return { status: failure.status, message: failure.message };
  if (failure instanceof TemplateError || failure instanceof InvalidScheduleError) return { status: 422, message: failure.message };
  if (failure instanceof OutboxError) return { status: failure.status, message: failure.message };
  if (failure instanceof ZodError) return { status: 422, message: failure.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ') };
  return undefined;
}

/** Runs an API mutation, answering a refusal with its status and `{ message }`. */
export async function answer(work: () => unknown | Promise<unknown>, status = 200): Promise<Response> {
  try {
    return json(await work(), { status, headers: { 'cache-control': 'no-store' } });
  } catch (failure) {
    const refusal = refusalOf(failure);
    if (refusal) return json({ message: refusal.message }, { status: refusal.status });
    throw failure;
  }
}

/**
 * Runs one form action for a caller holding `permission` (CSRF checked); a refusal becomes the
 * form's message with its status, success says what was done. On pages with several forms the
 * hidden field `form` names the one submitted (`rule:stuck-orders`) and comes back as `on`, so the
 * message shows beside that form; an invalid schedule's per-field `issues` come back too, and
 * `extra` adds what the page needs to show the form again (a draft).
 */
export async function formAction<Extra extends Record<string, unknown> = Record<never, never>>(
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
