import { error, redirect } from '@sveltejs/kit';
import { AlertingError, describeCondition } from '$lib/alerts';
import { ServiceClass } from '$lib/integration/canonical/primitives';
import { ProcessName } from '$lib/processes/milestones';
import { can, requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { warehouseIds } from '$lib/server/warehouse-ids';

import { alertView, rulesById } from '../../group-view.server';
import { runbookOf } from '../../labels';
import { definitionOf, isShipped, ruleFromForm } from '../rule-form.server';
import type { Actions, PageServerLoad } from './$types';
import { formAction } from '$lib/server/requests';

/** One rule: what it watches, its active alerts, and for admins the form to change it. */
export const load = (async ({ locals, params }) => {
  const identity = requirePermission(locals.identity, 'view');
  const { alerts, config } = await consoleServices();
  const rule = alerts.rules.get(params.id);
  if (!rule) error(404, `No alert rule ${params.id}.`);
  const now = Date.now();
  const rules = rulesById(alerts);
  const active = alerts.book.list({ ruleId: rule.id, state: ['pending', 'firing'], limit: 100 }).items;
  const groups = new Map(alerts.groups.open().map((group) => [group.groupKey, group.id]));
  return {
    now,
    rule: { ...definitionOf(rule), updatedBy: rule.updatedBy, updatedAt: rule.updatedAt, isDefault: rule.isDefault },
    described: describeCondition(rule.condition),
    runbook: runbookOf(rule),
    shipped: isShipped(rule.id),
    active: active.map((alert) => ({ ...alertView(alerts, rules, alert, now), groupId: groups.get(alert.groupKey) ?? null })),
    options: can(identity.role, 'administer')
      ? { schedules: alerts.schedules.list().map((s) => s.id), warehouses: warehouseIds(config.runtime.topologyFile), processes: ProcessName.options, serviceClasses: ServiceClass.options }
      : null,
  };
}) satisfies PageServerLoad;

type Event = { request: Request; locals: App.Locals; params: { id: string } };

async function existing(id: string) {
  const { alerts } = await consoleServices();
  const rule = alerts.rules.get(id);
  if (!rule) throw new AlertingError(404, `no alert rule ${id} (deleted meanwhile?)`);
  return { alerts, rule };
}

export const actions = {
  save: (event: Event) =>
    formAction(event, 'administer', async (form, actor) => {
      const { alerts } = await existing(event.params.id);
      // The id comes from the address: a tampered field cannot turn an edit into a new rule.
      alerts.rules.save({ ...(ruleFromForm(form) as object), id: event.params.id }, actor);
      return 'Rule saved; the next evaluation uses it.';
    }),
  toggle: (event: Event) =>
    formAction(event, 'administer', async (_form, actor) => {
      const { alerts, rule } = await existing(event.params.id);
      const saved = alerts.rules.save({ ...definitionOf(rule), enabled: !rule.enabled }, actor);
      return saved.enabled ? 'Rule enabled.' : 'Rule disabled: its alerts resolve at the next evaluation.';
    }),
  reset: (event: Event) =>
    formAction(event, 'administer', async (_form, actor) => {
      const { alerts } = await existing(event.params.id);
      alerts.rules.reset(event.params.id, actor);
      return 'Rule reset to its shipped definition.';
    }),
  remove: (event: Event) =>
    formAction(event, 'administer', async (_form, actor) => {
      const { alerts } = await existing(event.params.id);
      alerts.rules.remove(event.params.id, actor);
      redirect(303, '/alerts/rules');
    }),
} satisfies Actions;
