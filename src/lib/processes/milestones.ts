import { z } from 'zod';

/** The business processes Crossdock runs and tracks. */
export const ProcessName = z.enum(['order_fulfillment', 'inventory_sync', 'returns', 'reconciliation']);
export type ProcessName = z.infer<typeof ProcessName>;

/**
 * Each process's milestones, in the order a healthy transaction reaches them. A span that marks
 * one carries `process.milestone` with this exact value.
 */
export const milestones = {
  order_fulfillment: ['released', 'routed', 'sent_to_warehouse', 'acknowledged', 'picked', 'shipped', 'confirmed_in_odoo'],
  inventory_sync: ['reported', 'normalised', 'applied_in_odoo'],
  returns: ['received', 'return_picking_created', 'done'],
  reconciliation: ['compared', 'discrepancies_raised'],
} as const satisfies Record<ProcessName, readonly string[]>;

export type Milestone<P extends ProcessName = ProcessName> = (typeof milestones)[P][number];

/** Whether `milestone` belongs to `process`. */
export function isMilestone(process: ProcessName, milestone: string): boolean {
  return (milestones[process] as readonly string[]).includes(milestone);
}
