import type { AlertEvent, AlertEventKind } from '$lib/alerts';

/** Each event kind in words, for the filter and as the timeline's headline. */
export const eventWords: Record<AlertEventKind, string> = {
  pending: 'pending',
  firing: 'firing',
  cleared: 'cleared before firing',
  resolved: 'resolved',
  notified: 'notified',
  repeated: 'repeated',
  escalated: 'escalated',
  resolved_notified: 'resolution sent',
  suppressed: 'suppressed (silenced)',
  undeliverable: 'nobody to tell',
  sent: 'email sent',
  send_failed: 'email failed',
  acknowledged: 'acknowledged',
  silence_created: 'silence added',
  silence_expired: 'silence ended',
};

/** Events that mean trouble, coloured red. */
export const troubleKinds: ReadonlySet<AlertEventKind> = new Set(['firing', 'send_failed', 'undeliverable', 'escalated']);

const str = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');
const list = (value: unknown) => (Array.isArray(value) ? value.map(str).filter(Boolean).join(', ') : str(value));

/**
 * What an event says beyond its kind, in one line of text: the summary, who was told, the SMTP
 * error. The detail is JSON the backend wrote; anything unexpected in it is skipped, not shown raw.
 */
export function eventDetail(event: AlertEvent): string {
  const d = event.detail;
  switch (event.kind) {
    case 'pending':
    case 'firing':
      return [str(d.rule), str(d.summary)].filter(Boolean).join(': ');
    case 'cleared':
    case 'resolved':
      return [str(d.rule), str(d.reason)].filter(Boolean).join(': ');
    case 'notified':
      return `${str(d.step)}: ${list(d.to) || 'nobody with an email address'}`;
    case 'repeated':
      return `to ${list(d.to) || 'nobody'}`;
    case 'escalated':
      return `level ${str(d.level)}, ${str(d.step)}: ${list(d.to) || 'nobody with an email address'}`;
    case 'resolved_notified':
      return `to ${list(d.to) || 'nobody'}`;
    case 'suppressed':
      return d.silence ? `by ${str(d.kind) || 'silence'} #${str(d.silence)}${d.reason ? `: ${str(d.reason)}` : ''}` : 'by a silence';
    case 'undeliverable':
      if (Array.isArray(d.missing)) {
        const missing = d.missing.map((m) => (m && typeof m === 'object' ? `${str((m as Record<string, unknown>).login)} (${str((m as Record<string, unknown>).reason)})` : '')).filter(Boolean);
        return `${str(d.step)}: cannot email ${missing.join(', ') || 'anyone'}`;
      }
      return str(d.reason);
    case 'sent':
      return `${str(d.kind)} to ${str(d.to)}: ${str(d.subject)}${Number(d.attempts) > 0 ? ` (after ${str(d.attempts)} failed attempt(s))` : ''}`;
    case 'send_failed':
      return `${str(d.kind)} to ${str(d.to)}, attempt ${str(d.attempts)}${d.final ? ', given up' : ', will retry'}: ${str(d.error)}`;
    case 'acknowledged':
      return d.via ? `via ${str(d.via)}` : '';
    case 'silence_created':
    case 'silence_expired':
      return [str(d.kind), str(d.reason)].filter(Boolean).join(': ');
  }
}
