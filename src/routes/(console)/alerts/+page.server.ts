import { severityRank } from '$lib/alerts';
import { whereOf } from '$lib/alerts/notify/notifier';
import { shiftAt } from '$lib/alerts/oncall/schedule';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { alertActions, silenceFormData } from './alert-actions.server';
import { alertView, groupView, rulesById } from './group-view.server';
import type { Actions, PageServerLoad } from './$types';

/** The alerting home: what is firing now, what may fire soon, what is muted, and who answers. */
export const load = (async ({ locals }) => {
  requirePermission(locals.identity, 'view');
  const { alerts, config } = await consoleServices();
  const now = Date.now();
  const rules = rulesById(alerts);
  const active = alerts.book.active();

  const open = alerts.groups
    .open()
    .map((group) => groupView(alerts, rules, group, active.filter((alert) => alert.groupKey === group.groupKey), now))
    // Firing first, the loudest first, then the oldest.
    .sort((a, b) => Number(b.firing) - Number(a.firing) || severityRank[a.severity] - severityRank[b.severity] || a.openedAt - b.openedAt);
  const firing = open.filter((group) => group.firing);
  const firingGroups = new Set(firing.map((group) => group.groupKey));
  // Pending alerts of groups that fire show in their group; the others are listed on their own.
  const pending = active
    .filter((alert) => alert.state === 'pending' && !firingGroups.has(alert.groupKey))
    .map((alert) => ({ ...alertView(alerts, rules, alert, now), groupId: open.find((group) => group.groupKey === alert.groupKey)?.id ?? null }));

  const names = [...rules.values()].map((rule) => ({ ruleId: rule.id, ruleName: rule.name }));
  const resolved = alerts.groups.list({ status: 'resolved', limit: 20 }).items.map((group) => ({
    id: group.id,
    where: whereOf(group.groupKey, names),
    openedAt: group.openedAt,
    resolvedAt: group.resolvedAt,
    acknowledgedBy: group.acknowledgedBy,
    notified: group.notified,
  }));

  const { current } = alerts.silences.list(now);
  const onCall = alerts.schedules.list().map((schedule) => {
    const shift = shiftAt(schedule, new Date(now));
    return { id: schedule.id, name: schedule.name, login: shift.login, until: shift.endsAt.getTime(), startsLater: shift.startsAt.getTime() > now };
  });

  return {
    now,
    firing,
    pending,
    resolved,
    silences: current,
    onCall,
    silenceForm: silenceFormData(alerts, config, now),
    mailConfigured: alerts.mailConfigured,
  };
}) satisfies PageServerLoad;

export const actions = { ...alertActions } satisfies Actions;
