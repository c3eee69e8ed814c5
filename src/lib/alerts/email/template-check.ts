import Mustache from 'mustache';
import { z } from 'zod';
import { templateVariables, type TemplateVariable } from './template-variables';
import type { MailTemplate } from './templates';

/**
 * Checks a mail template before it is saved, so a mistake is answered in the console with what
 * to fix and where, not discovered as an empty or broken email during an incident.
 */

export const SUBJECT_MAX_CHARS = 200;
export const BODY_MAX_CHARS = 20_000;

/** A template that cannot be saved, with a message that says what to fix and where. */
export class TemplateError extends Error {
  constructor(
    readonly field: 'subject' | 'body',
    message: string,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

const TemplateInput = z.object({ subject: z.string(), body: z.string() });

/**
 * Checks a template before it is saved: the subject one line of at most 200 characters, the body
 * at most 20,000, both valid mustache using only the documented variables.
 *
 * @throws TemplateError naming the field, the problem and its line and column.
 */
export function checkTemplate(input: unknown): MailTemplate {
  const parsed = TemplateInput.safeParse(input);
  if (!parsed.success) throw new TemplateError(parsed.error.issues[0].path[0] === 'body' ? 'body' : 'subject', 'a template needs a subject and a body, both text');
  const { subject, body } = parsed.data;
  if (subject.trim() === '') throw new TemplateError('subject', 'the subject is empty');
  if (/[\r\n]/.test(subject)) throw new TemplateError('subject', 'the subject must be one line');
  if (subject.length > SUBJECT_MAX_CHARS) throw new TemplateError('subject', `the subject is ${subject.length} characters long; at most ${SUBJECT_MAX_CHARS}`);
  if (body.length > BODY_MAX_CHARS) throw new TemplateError('body', `the body is ${body.length} characters long; at most ${BODY_MAX_CHARS}`);
  checkMustache('subject', subject);
  checkMustache('body', body);
  return { subject, body };
}

type Span = [string, string, number, number, Span[]?];

function checkMustache(field: 'subject' | 'body', template: string) {
  let spans: Span[];
  try {
    spans = Mustache.parse(template) as Span[];
  } catch (error) {
    const message = (error as Error).message;
    throw new TemplateError(field, `the ${field} has a syntax error${syntaxErrorAt(template, message)}: ${lowerFirst(message.replace(/ at \d+$/, ''))}`);
  }
  const problem = findProblem(spans, [templateVariables], false, template);
  if (problem) throw new TemplateError(field, `the ${field} ${problem}`);
}

/**
 * Where a mustache syntax error is, for people: mustache reports where it noticed (often the end
 * of the template), so an unclosed tag or section is shown where it was opened instead.
 */
function syntaxErrorAt(template: string, message: string): string {
  const at = /at (\d+)$/.exec(message);
  if (!at) return '';
  const noticed = Number(at[1]);
  return ` at ${position(template, openingBefore(template, message, noticed) ?? noticed)}`;
}

function openingBefore(template: string, message: string, offset: number): number | undefined {
  const section = /^Unclosed section "(.*)"/.exec(message)?.[1];
  if (section !== undefined) {
    const openings = [...template.slice(0, offset).matchAll(/\{\{\s*[#^]\s*([^}]*?)\s*\}\}/g)].filter((m) => m[1] === section);
    return openings.at(-1)?.index;
  }
  if (message.startsWith('Unclosed tag')) {
    const opening = template.lastIndexOf('{{', offset);
    return opening >= 0 ? opening : undefined;
  }
  return undefined;
}

/**
 * The first name the view cannot answer. Inside a section over a list or an object, names are
 * looked up in its fields first and then outside it, as mustache does.
 */
function findProblem(spans: Span[], scopes: (readonly TemplateVariable[])[], inSection: boolean, template: string): string | undefined {
  for (const [type, name, start, , children] of spans) {
    const at = `at ${position(template, start)}`;
    if (type === '>') return `uses the partial {{> ${name}}} ${at}: partials are not supported`;
    if (type !== 'name' && type !== '&' && type !== '#' && type !== '^') continue;
    if (name === '.') {
      if (!inSection) return `uses {{.}} outside a section ${at}: it only means the current item inside {{#…}}`;
      continue;
    }
    const resolved = resolve(name, scopes);
    if ('problem' in resolved) return `${resolved.problem} ${at}: ${resolved.hint}`;
    if ((type === 'name' || type === '&') && resolved.list) return `uses the list {{${name}}} as a value ${at}: write {{#${name}}}…{{/${name}}} and use its fields inside`;
    // An inverted section renders only when its value is empty, so names in it mean what they mean outside.
    const inner = type === '#' && resolved.fields ? [resolved.fields, ...scopes] : scopes;
    const problem = children && findProblem(children, inner, inSection || type === '#', template);
    if (problem) return problem;
  }
  return undefined;
}

/** The variable a (dotted) name means, or why it means none. */
function resolve(name: string, scopes: (readonly TemplateVariable[])[]): TemplateVariable | { problem: string; hint: string } {
  const [first, ...rest] = name.trim().split('.');
  let variable = scopes.map((scope) => scope.find((v) => v.name === first)).find(Boolean);
  if (!variable) {
    const known = [...new Set(scopes.flat().map((v) => v.name))];
    const guess = closest(first, known);
    return { problem: `uses an unknown variable {{${name}}}`, hint: `${guess ? `did you mean {{${guess}}}? ` : ''}(variables here: ${known.join(', ')})` };
  }
  for (const part of rest) {
    if (variable.list) return { problem: `reaches into the list {{${name}}}`, hint: `write {{#${variable.name}}}…{{${part}}}…{{/${variable.name}}}` };
    const field: TemplateVariable | undefined = variable.fields?.find((f) => f.name === part);
    if (!field) return { problem: `uses {{${name}}}`, hint: `${variable.name} has no field ${part}${variable.fields ? ` (it has ${variable.fields.map((f) => f.name).join(', ')})` : ''}` };
    variable = field;
  }
  return variable;
}

/** A known name at most two edits away, for "did you mean". */
function closest(name: string, known: string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

