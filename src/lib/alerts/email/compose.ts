import { createHash } from 'node:crypto';
import Mustache from 'mustache';
import type { Notice } from '../alert';
import { htmlOf } from './html';
import { SUBJECT_MAX_CHARS } from './template-check';
import type { MailTemplate } from './templates';
import { variablesOf, type NoticeView } from './view';

/** An alert email ready to send or to keep in the outbox. */
export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
  /** Message-ID, threading and X-Crossdock-* headers, one line each. */
  headers: Record<string, string>;
}

/**
 * Writes one notice as an email: the template rendered into the subject and the first part of the
 * body, then the fixed sections (alerts, affected transactions, links) that every email has
 * whatever the template says, as plain text and as HTML.
 */
export function compose(notice: Notice, template: MailTemplate, now: number = notice.at): ComposedMail {
  const view = variablesOf(notice, now);
  const subject = oneLine(render(template.subject, view));
  const body = render(template.body, view).trim();
  return {
    subject,
    text: [body, ...textSections(view)].filter(Boolean).join('\n\n') + '\n',
    html: htmlOf(subject, body, view),
    headers: headersOf(notice),
  };
}

// Rendered without escaping: subject and text are not HTML, and the HTML part escapes the result.
const render = (template: string, view: NoticeView) => Mustache.render(template, view, {}, { escape: String });

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > SUBJECT_MAX_CHARS ? `${line.slice(0, SUBJECT_MAX_CHARS - 1)}…` : line;
}

function textSections(view: NoticeView): string[] {
  const resolved = view.kind === 'resolved';
  const heading = (title: string) => `${title}\n${'-'.repeat(title.length)}`;
  const alerts = view.alerts.map((a) =>
    [
      `* ${a.severity} ${a.rule}: ${a.summary}`,
      `  value ${a.value}, ${resolved ? 'lasted' : 'firing for'} ${a.duration} (since ${a.since})`,
      ...(a.runbook ? [`  runbook: ${a.runbook}`] : []),
    ].join('\n'),
  );
  const transactions = view.transactions.map(
    (t) => `* ${t.correlationId}  ${t.process}, ${t.state} at ${t.step}, warehouse ${t.warehouse}, ${t.age} old\n  ${t.link}`,
  );
  const counted = (title: string, shown: number, total: number) => heading(shown < total ? `${title} (${shown} of ${total})` : `${title} (${total})`);
  return [
    alerts.length ? `${counted('Alerts', view.alerts.length, view.count)}\n${alerts.join('\n')}` : '',
    transactions.length ? `${counted('Affected transactions, oldest first', view.transactions.length, view.transactionCount)}\n${transactions.join('\n')}` : '',
    [view.links.acknowledge ? `Acknowledge: ${view.links.acknowledge}` : '', `Open in console: ${view.links.group}`].filter(Boolean).join('\n'),
  ];
}

/**
 * Every notice of a group refers to the group's first one, so mail clients show firing, repeats,
 * escalations and the resolution as one thread. The reference carries a hash of the group key
 * and the console's host besides the group id: ids restart with a new database and repeat across
 * installations, and two unrelated groups must not share a thread. A retried message keeps its
 * Message-ID (it is stored with it), so a copy delivered twice is recognisably the same message.
 */
export function headersOf(notice: Notice): Record<string, string> {
  const reference = groupReference(notice);
  const thread: Record<string, string> =
    notice.kind === 'firing'
      ? { 'Message-ID': reference }
      : { 'Message-ID': groupReference(notice, `${notice.kind}-${notice.at}`), References: reference, 'In-Reply-To': reference };
  return {
    ...thread,
    'X-Crossdock-Group': headerValue(notice.groupKey),
    'X-Crossdock-Notice': notice.kind,
    // RFC 3834: machine-written mail; vacation responders must not answer it (Exchange reads the second).
    'Auto-Submitted': 'auto-generated',
    'X-Auto-Response-Suppress': 'All',
  };
}

/** `<alert-group-<id>.<hash of the group key>@<console host>>`, or a later notice's id under it with `part`. */
export function groupReference(notice: Pick<Notice, 'groupId' | 'groupKey' | 'links'>, part?: string): string {
  const hash = createHash('sha256').update(notice.groupKey).digest('hex').slice(0, 12);
  return `<alert-group-${notice.groupId}.${hash}${part ? `.${part}` : ''}@${hostOf(notice.links.console)}>`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/[^A-Za-z0-9.-]/g, '') || 'crossdock';
  } catch {
    return 'crossdock';
  }
}

// A header is one line of printable text; a group key is ours, but it is built from labels.
const headerValue = (value: string) => value.replace(/\p{Cc}+/gu, ' ').slice(0, 900);
