import { error, fail } from '@sveltejs/kit';
import { AlertingError, severityRank, verifyAckToken } from '$lib/alerts';
import { whereOf } from '$lib/alerts/notify/notifier';
import { recipientsOf } from '$lib/alerts/oncall/schedule-store';
import { consoleServices } from '$lib/server/console-services';
import type { Actions, PageServerLoad } from './$types';

/*
 * The "Acknowledge" link of an alert email. Public: the signed token in the path is the
 * credential (it names one alert group and one person, and expires); hooks let /ack/<token>
 * through without a session.
 *
 * Opening the link (GET) only shows what would be acknowledged. The acknowledgement is the POST
 * of the button, because mail scanners and link previews (Outlook Safe Links, Gmail, corporate
 * gateways) fetch every link in a message before anyone reads it: a GET that acknowledged would
 * let a robot take the incident and stop the escalation. RFC 8058 makes one-click actions from
 * email POSTs for the same reason. A POST cannot carry the console's CSRF token (there is no
 * session); SvelteKit's origin check still refuses cross-site posts, and the token is needed anyway.
 *
 * No JavaScript on this page (`csr = false`): the form posts natively, and the page never asks
 * for `/ack/<token>/__data.json`, which the hooks would not let through.
 */
export const csr = false;

type Verdict = ReturnType<typeof verifyAckToken>;

/** Why a link does not work, for people, with the status it is answered with. */
function refusal(verdict: Exclude<Verdict, { ok: true }>): { status: 400 | 410; message: string } {
  if (verdict.reason === 'expired') return { status: 410, message: 'This acknowledgement link has expired (links are valid for 7 days). Sign in to the console to acknowledge the alert there.' };
  return { status: 400, message: 'This acknowledgement link is not valid: it may have been cut off or altered, or it was made before the console’s link key changed. Sign in to the console to acknowledge the alert there.' };
}

/** A link outlives its person's access: one made for someone since disabled or removed no longer works. */
async function noLongerAllowed(login: string): Promise<string | undefined> {
  const { db } = await consoleServices();
  const reason = recipientsOf(db, [login]).missing[0]?.reason;
  if (reason === 'disabled') return `This link was made for ${login}, whose console account is disabled.`;
  if (reason === 'unknown') return `This link was made for ${login}, who is no longer a console user.`;
  return undefined;
}

/** What the page shows about the group, or a 404 when it is gone. */
async function groupFor(groupId: number) {
  const { alerts } = await consoleServices();
  const group = alerts.groups.get(groupId);
  if (!group) error(404, 'The alert group this link is for no longer exists.');
  const rules = new Map(alerts.rules.list().map((rule) => [rule.id, rule.name]));
  // A resolved group's key may already have a newer group: its alerts are not this one's.
  const firing = (group.status === 'open' ? alerts.book.activeInGroup(group.groupKey) : [])
    .filter((alert) => alert.state === 'firing')
    .map((alert) => ({ id: alert.id, ruleName: rules.get(alert.ruleId) ?? alert.ruleId, severity: alert.severity, summary: alert.summary }));
  return {
    id: group.id,
    where: whereOf(group.groupKey, [...rules].map(([ruleId, ruleName]) => ({ ruleId, ruleName }))),
    severity: [...firing].sort((a, b) => severityRank[a.severity] - severityRank[b.severity])[0]?.severity ?? null,
    status: group.status,
    acknowledgedBy: group.acknowledgedBy,
    acknowledgedAt: group.acknowledgedAt,
    firing,
  };
}

export const load = (async ({ params, setHeaders }) => {
  // The token is in the address: keep the page out of caches.
  setHeaders({ 'cache-control': 'no-store' });
  const { alerts } = await consoleServices();
  const verdict = verifyAckToken(alerts.linkSecret, params.token, Date.now());
  if (!verdict.ok) {
    const { status, message } = refusal(verdict);
    error(status, message);
  }
  const denied = await noLongerAllowed(verdict.login);
  if (denied) error(403, denied);
  return { login: verdict.login, group: await groupFor(verdict.groupId) };
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ params }) => {
    const { alerts } = await consoleServices();
    // Checked again: the page may have been open for a while, or the POST made without it.
    const verdict = verifyAckToken(alerts.linkSecret, params.token, Date.now());
    if (!verdict.ok) return fail(refusal(verdict).status, { message: refusal(verdict).message });
    const denied = await noLongerAllowed(verdict.login);
    if (denied) return fail(403, { message: denied });
    try {
      const group = alerts.groups.acknowledge(verdict.groupId, verdict.login, 'email link');
      return { done: true, message: `Acknowledged as ${group.acknowledgedBy}. Repeats and escalation stop; the others see that you are on it.` };
    } catch (failure) {
      if (failure instanceof AlertingError) return fail(failure.status, { message: sentenceOf(failure.message) });
      throw failure;
    }
  },
} satisfies Actions;

const sentenceOf = (message: string) => `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;
