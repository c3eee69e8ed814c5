import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { AlertingError, Condition } from '$lib/alerts';
import { ServiceClass } from '$lib/integration/canonical/primitives';
import { ProcessName } from '$lib/processes/milestones';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { parseQuery } from '$lib/server/query-params';
import { warehouseIds } from '$lib/server/warehouse-ids';
import { text } from '../../form-fields.server';
import { ruleFromForm, starterRule } from '../rule-form.server';
import type { Actions, PageServerLoad } from './$types';
import { formAction } from '$lib/server/requests';

const kinds = Condition.options.map((option) => option.shape.kind.value);
const Query = z.object({ kind: z.enum(kinds).default('stuck_transactions') });

/** A new rule of the chosen kind, starting from the shipped rule of that kind's thresholds. */
export const load = (async ({ locals, url }) => {
  requirePermission(locals.identity, 'administer');
  const { kind } = parseQuery(Query, url.searchParams);
  const { alerts, config } = await consoleServices();
  const schedules = alerts.schedules.list().map((s) => s.id);
  return {
    kinds,
    rule: starterRule(kind, schedules[0] ?? 'primary'),
    options: { schedules, warehouses: warehouseIds(config.runtime.topologyFile), processes: ProcessName.options, serviceClasses: ServiceClass.options },
  };
}) satisfies PageServerLoad;

export const actions = {
  create: (event) =>
    formAction(event, 'administer', async (form, actor) => {
      const { alerts } = await consoleServices();
      const id = text(form, 'id');
      // `save` creates or replaces; a new rule must not silently replace one with the same id.
      if (alerts.rules.get(id)) throw new AlertingError(409, `id: a rule ${id} exists already; choose another id or edit that rule`);
      const rule = alerts.rules.save(ruleFromForm(form), actor);
      redirect(303, `/alerts/rules/${rule.id}`);
    }),
} satisfies Actions;
