import type { Alerting } from '$lib/alerts';
import type { Config } from '$lib/config';
import { timestamp } from '$lib/format';
import { ServiceClass } from '$lib/integration/canonical/primitives';
import { ProcessName } from '$lib/processes/milestones';
import { consoleServices } from '$lib/server/console-services';
import { warehouseIds } from '$lib/server/warehouse-ids';
import { idOf, text, utcInstant } from './form-fields.server';
import { LABELS } from './labels';
import { formAction } from '$lib/server/requests';

const HOUR = 3_600_000;

/** What the silence form offers and starts with: every rule, the known warehouses, and two hours from now (UTC). */
export function silenceFormData(alerts: Alerting, config: Config, now: number) {
  return {
    choices: {
      rules: alerts.rules.list().map((rule) => ({ id: rule.id, name: rule.name })),
      warehouses: warehouseIds(config.runtime.topologyFile),
      processes: ProcessName.options,
      serviceClasses: ServiceClass.options,
    },
    endsAt: new Date(now + 2 * HOUR).toISOString().slice(0, 16),
  };
}

type Event = { request: Request; locals: App.Locals };

/** The matchers a silence form names: only the labels filled in (the backend wants at least one). */
function matchersOf(form: FormData): Record<string, string> {
  const matchers: Record<string, string> = {};
  for (const name of LABELS) {
    const value = text(form, name);
    if (value) matchers[name] = value;
  }
  return matchers;
}

/** Acknowledge a group, add a silence, end one: shared by the alerts page and a group's page. */
export const alertActions = {
  acknowledge: (event: Event) =>
    formAction(event, 'respond', async (form, actor) => {
      const id = idOf(form.get('group'));
      (await consoleServices()).alerts.groups.acknowledge(id, actor, 'console');
      return `Alert group #${id} acknowledged: no more repeats or escalation for it.`;
    }),
  silence: (event: Event) =>
    formAction(event, 'respond', async (form, actor) => {
      const kind = text(form, 'kind') === 'maintenance' ? 'maintenance' : 'silence';
      const silence = (await consoleServices()).alerts.silences.create(
        { kind, matchers: matchersOf(form), startsAt: utcInstant(text(form, 'startsAt')), endsAt: utcInstant(text(form, 'endsAt')) ?? '', reason: text(form, 'reason') },
        actor,
      );
      const what = silence.kind === 'maintenance' ? 'Maintenance window' : 'Silence';
      return `${what} #${silence.id} added until ${timestamp(silence.endsAt)}: matching alerts still show here but email nobody.`;
    }),
  expire: (event: Event) =>
    formAction(event, 'respond', async (form, actor) => {
      const silence = (await consoleServices()).alerts.silences.expire(idOf(form.get('silence')), actor);
      return `${silence.kind === 'maintenance' ? 'Maintenance window' : 'Silence'} #${silence.id} ended: matching alerts notify again.`;
    }),
};
