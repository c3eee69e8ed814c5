import { error } from '@sveltejs/kit';
import type { AffectedTransaction, AlertEvent } from '$lib/alerts';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { alertActions, silenceFormData } from '../alert-actions.server';
import { idOf } from '../form-fields.server';
import { alertsOfGroup, groupView, rulesById } from '../group-view.server';
import { runbookOf } from '../labels';
import type { Actions, PageServerLoad } from './$types';

/** How many affected transactions the page lists, oldest first. */
const TOP_TRANSACTIONS = 25;

/** One alert group: its alerts and numbers, the transactions behind them, what happened, and the email it made. */
export const load = (async ({ locals, params }) => {
  requirePermission(locals.identity, 'view');
  const { alerts, config } = await consoleServices();
  const group = alerts.groups.get(idOf(params.id));
  if (!group) error(404, `No alert group ${params.id}.`);
  const now = Date.now();
  const rules = rulesById(alerts);
  const members = alertsOfGroup(alerts, group);

  // One transaction can be behind several alerts (stuck, and its partner's circuit open): list it once.
  const affected = new Map<string, AffectedTransaction>();
  for (const tx of members.flatMap((alert) => alert.affected)) {
    const seen = affected.get(tx.correlationId);
    if (!seen || tx.ageMs > seen.ageMs) affected.set(tx.correlationId, tx);
  }
  const transactions = [...affected.values()].sort((a, b) => b.ageMs - a.ageMs);

  const runbooks = [...new Set(members.map((alert) => alert.ruleId))].flatMap((id) => {
    const rule = rules.get(id);
    return rule ? [{ rule: rule.name, href: runbookOf(rule) }] : [];
  });

  const events = alerts.book.history({ groupId: group.id, limit: 500 }).items.reverse();
  // An acknowledgement is stored on the group; show it in the timeline when no event says it.
  if (group.acknowledgedBy && group.acknowledgedAt !== null && !events.some((e) => e.kind === 'acknowledged')) {
    const ack: AlertEvent = { id: 0, at: group.acknowledgedAt, kind: 'acknowledged', groupId: group.id, alertId: null, actor: group.acknowledgedBy, detail: {} };
    events.push(ack);
    events.sort((a, b) => a.at - b.at || a.id - b.id);
  }

  const mail = alerts.outbox.list({ groupId: group.id, limit: 200 });
  return {
    now,
    group: groupView(alerts, rules, group, members, now),
    transactions: { shown: transactions.slice(0, TOP_TRANSACTIONS), total: transactions.length },
    runbooks,
    events,
    mail: {
      total: mail.total,
      items: mail.items.map((m) => ({ id: m.id, kind: m.kind, to: `${m.recipient.name} <${m.recipient.email}>`, subject: m.subject, status: m.status, attempts: m.attempts, lastError: m.lastError, createdAt: m.createdAt, sentAt: m.sentAt })),
    },
    silenceForm: silenceFormData(alerts, config, now),
  };
}) satisfies PageServerLoad;

export const actions = { ...alertActions } satisfies Actions;
