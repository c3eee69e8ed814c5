import { z } from 'zod';

/** Who someone is in the console. */
export const Role = z.enum(['viewer', 'support', 'manager', 'approver', 'admin']);
export type Role = z.infer<typeof Role>;

/** What a role may do. Checked server-side on every page, action and API route. */
export const Permission = z.enum([
  /** See transactions, processes, partners. */
  'view',
  /** Work the exception queue: assign, acknowledge, resolve, propose remediations. */
  'triage',
  /** SLA reports and their CSV export. */
  'reports',
  /** Approve or reject proposed remediations (never one's own). */
  'approve',
  /** Read and export the audit log. */
  'audit',
  /** Respond to alerts: acknowledge them, add and end silences and maintenance windows. */
  'respond',
  /** People, tokens, alert rules, settings. */
  'administer',
]);
export type Permission = z.infer<typeof Permission>;

const grants: Record<Role, Permission[]> = {
  viewer: ['view'],
  support: ['view', 'triage', 'respond'],
  manager: ['view', 'reports', 'audit', 'respond'],
  approver: ['view', 'triage', 'approve', 'audit', 'respond'],
  admin: ['view', 'triage', 'reports', 'approve', 'audit', 'respond', 'administer'],
};

/** Whether `role` holds `permission`. */
export const can = (role: Role, permission: Permission): boolean => grants[role].includes(permission);

/** Every role's permissions, for documentation and the RBAC tests. */
export const permissionMatrix = (): Readonly<Record<Role, readonly Permission[]>> => grants;
