import { timestamp } from '../../format';
import type { NoticeView } from './view';

/**
 * The HTML part of an alert email, laid out the way mail clients render reliably: nested tables,
 * inline styles, no scripts, no images, no web fonts. Every value comes from data a partner may
 * control (error texts, warehouse and correlation ids), so all of it goes through `escape`, and
 * only http(s) URLs become links.
 */

const font = "-apple-system,'Segoe UI',Helvetica,Arial,sans-serif";
const colours: Record<string, string> = { CRITICAL: '#b42318', WARNING: '#b54708', INFO: '#175cd3', RESOLVED: '#067647' };

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => entities[c]);

/** The URL when it is http(s), for an href; anything else (javascript:, data:) is not linked. */
function safeHref(url: string | null): string | null {
  if (!url) return null;
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol) ? url : null;
  } catch {
    return null;
  }
}

const link = (url: string | null, label: string) => {
  const href = safeHref(url);
  return href ? `<a href="${escape(href)}" style="color:#0b57d0;">${escape(label)}</a>` : escape(label);
};

const cell = 'padding:6px 8px;border-bottom:1px solid #eaecf0;vertical-align:top;';
const headCell = `${cell}text-align:left;font-weight:600;color:#475467;font-size:12px;text-transform:uppercase;letter-spacing:.03em;`;

function table(caption: string, headings: string[], rows: string[][]): string {
  if (rows.length === 0) return '';
  return `<tr><td style="padding:8px 24px 16px;">
<div style="font-weight:600;font-size:15px;margin:0 0 8px;">${escape(caption)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;font-size:13px;line-height:1.4;">
<tr>${headings.map((h) => `<th style="${headCell}">${escape(h)}</th>`).join('')}</tr>
${rows.map((row) => `<tr>${row.map((c) => `<td style="${cell}">${c}</td>`).join('')}</tr>`).join('\n')}
</table></td></tr>`;
}

function button(url: string | null, label: string, colour: string): string {
  const href = safeHref(url);
  if (!href) return '';
  return `<a href="${escape(href)}" style="display:inline-block;margin:0 8px 8px 0;padding:10px 18px;border-radius:4px;background:${colour};color:#ffffff;font-weight:600;font-size:14px;text-decoration:none;">${escape(label)}</a>`;
}

/** The whole HTML document; `body` is the rendered template, shown as text. */
export function htmlOf(subject: string, body: string, view: NoticeView): string {
  const resolved = view.kind === 'resolved';
  const colour = colours[resolved ? 'RESOLVED' : view.severity] ?? colours.INFO;
  const banner = resolved ? `${view.status} · ${view.where}` : `${view.status} · ${view.severity} · ${view.where}`;
  const alerts = table(
    view.count > view.alerts.length ? `Alerts (${view.alerts.length} of ${view.count})` : `Alerts (${view.count})`,
    ['Severity', 'Alert', 'Value', resolved ? 'Lasted' : 'Firing for', 'Runbook'],
    view.alerts.map((a) => [
      escape(a.severity),
      `<strong>${escape(a.rule)}</strong><br>${escape(a.summary)}`,
      escape(a.value),
      `${escape(a.duration)}<br><span style="color:#667085;white-space:nowrap;">since ${escape(timestamp(a.since))}</span>`,
      a.runbook ? link(a.runbook, 'runbook') : '—',
    ]),
  );
  const transactions = table(
    view.transactionCount > view.transactions.length ? `Affected transactions (oldest ${view.transactions.length} of ${view.transactionCount})` : `Affected transactions (${view.transactionCount})`,
    ['Transaction', 'Process', 'State', 'Step', 'Warehouse', 'Age'],
    view.transactions.map((t) => [link(t.link, t.correlationId), escape(t.process), escape(t.state), escape(t.step), escape(t.warehouse), escape(t.age)]),
  );
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(subject)}</title></head>
<body style="margin:0;padding:0;background:#f2f4f7;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f2f4f7;"><tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="680" cellpadding="0" cellspacing="0" style="width:100%;max-width:680px;background:#ffffff;border:1px solid #d0d5dd;border-radius:6px;font-family:${font};color:#101828;">
<tr><td style="padding:12px 24px;background:${colour};color:#ffffff;font-weight:600;font-size:14px;letter-spacing:.03em;border-radius:6px 6px 0 0;">${escape(banner)}</td></tr>
<tr><td style="padding:20px 24px 8px;font-size:15px;line-height:1.5;">${escape(body).replace(/\r?\n/g, '<br>\n')}</td></tr>
${alerts}
${transactions}
<tr><td style="padding:8px 24px 16px;">${button(view.links.acknowledge, 'Acknowledge', '#0b57d0')}${button(view.links.group, 'Open in console', '#344054')}</td></tr>
<tr><td style="padding:12px 24px;border-top:1px solid #eaecf0;font-size:12px;color:#667085;">Sent by Crossdock to ${escape(view.recipient)} at ${escape(timestamp(view.at))}.</td></tr>
</table></td></tr></table>
</body></html>
`;
}
