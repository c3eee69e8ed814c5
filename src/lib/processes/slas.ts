import { z } from 'zod';
import { ServiceClass } from '../integration/canonical/primitives';
import { isMilestone, ProcessName } from './milestones';

/** A service-level target for one step of a process: from one milestone to a later one. */
export const SlaDefinition = z
  .object({
    process: ProcessName,
    from: z.string(),
    to: z.string(),
    /** Omitted: applies to every service class without a target of its own. */
    serviceClass: ServiceClass.optional(),
    targetMs: z.number().int().positive(),
  })
  .superRefine((sla, ctx) => {
    for (const key of ['from', 'to'] as const)
      if (!isMilestone(sla.process, sla[key]))
        ctx.addIssue({ code: 'custom', path: [key], message: `${sla[key]} is not a milestone of ${sla.process}` });
  });
export type SlaDefinition = z.infer<typeof SlaDefinition>;

export const SlaDefinitions = z.array(SlaDefinition);

const minutes = (n: number) => n * 60_000;

/**
 * The brief's targets (order release→acknowledged 2 min and shipped→confirmed 5 min for
 * real-time orders; inventory 15 min, hourly for batch snapshots; returns 30 min;
 * reconciliation daily), plus our own defaults for the classes and steps it leaves open.
 * Override with CROSSDOCK_SLAS (a JSON array of these objects).
 */
export const defaultSlas: SlaDefinition[] = [
  { process: 'order_fulfillment', from: 'released', to: 'acknowledged', serviceClass: 'realtime', targetMs: minutes(2) },
  { process: 'order_fulfillment', from: 'released', to: 'acknowledged', serviceClass: 'standard', targetMs: minutes(15) },
  { process: 'order_fulfillment', from: 'released', to: 'acknowledged', serviceClass: 'batch', targetMs: minutes(240) },
  { process: 'order_fulfillment', from: 'acknowledged', to: 'shipped', targetMs: minutes(24 * 60) },
  { process: 'order_fulfillment', from: 'shipped', to: 'confirmed_in_odoo', serviceClass: 'realtime', targetMs: minutes(5) },
  { process: 'order_fulfillment', from: 'shipped', to: 'confirmed_in_odoo', targetMs: minutes(30) },
  { process: 'inventory_sync', from: 'reported', to: 'applied_in_odoo', serviceClass: 'batch', targetMs: minutes(60) },
  { process: 'inventory_sync', from: 'reported', to: 'applied_in_odoo', targetMs: minutes(15) },
  { process: 'returns', from: 'received', to: 'done', targetMs: minutes(30) },
  { process: 'reconciliation', from: 'compared', to: 'discrepancies_raised', targetMs: minutes(24 * 60) },
];

/** Share of a step's target after which a transaction is "at risk". */
export const AT_RISK_RATIO = 0.8;

/**
 * The targets that apply to one process and service class: for each step, the class's own
 * target if it has one, else the step's class-less target.
 */
export function effectiveSlas(slas: SlaDefinition[], process: ProcessName, serviceClass: ServiceClass): SlaDefinition[] {
  const steps = new Map<string, SlaDefinition>();
  for (const sla of slas) {
    if (sla.process !== process) continue;
    if (sla.serviceClass !== undefined && sla.serviceClass !== serviceClass) continue;
    const key = `${sla.from}>${sla.to}`;
    const current = steps.get(key);
    if (!current || (current.serviceClass === undefined && sla.serviceClass !== undefined)) steps.set(key, sla);
  }
  return [...steps.values()];
}
