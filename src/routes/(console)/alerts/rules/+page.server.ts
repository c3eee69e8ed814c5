import { describeCondition } from '$lib/alerts';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { labelText, runbookOf } from '../labels';
import { isShipped } from './rule-form.server';
import type { PageServerLoad } from './$types';

/** Every alert rule, what it watches in words, and whether it is still as shipped. */
export const load = (async ({ locals }) => {
  requirePermission(locals.identity, 'view');
  const { alerts } = await consoleServices();
  const schedules = new Set(alerts.schedules.list().map((schedule) => schedule.id));
  const firing = new Map<string, number>();
  for (const alert of alerts.book.active()) if (alert.state === 'firing') firing.set(alert.ruleId, (firing.get(alert.ruleId) ?? 0) + 1);
  return {
    rules: alerts.rules.list().map((rule) => ({
      id: rule.id,
      name: rule.name,
      enabled: rule.enabled,
      severity: rule.severity,
      condition: describeCondition(rule.condition),
      kind: rule.condition.kind,
      scope: labelText(rule.scope) || 'everywhere',
      forMinutes: rule.forMinutes,
      keepFiringMinutes: rule.keepFiringMinutes,
      repeatMinutes: rule.repeatMinutes,
      groupBy: rule.groupBy,
      schedule: rule.schedule,
      scheduleMissing: !schedules.has(rule.schedule),
      runbook: runbookOf(rule),
      ownRunbook: rule.runbookUrl !== null,
      origin: rule.isDefault ? 'default' : isShipped(rule.id) ? 'changed' : 'added',
      updatedBy: rule.updatedBy,
      updatedAt: rule.updatedAt,
      firing: firing.get(rule.id) ?? 0,
    })),
  };
}) satisfies PageServerLoad;
