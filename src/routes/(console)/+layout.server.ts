import { can, requirePermission } from '$lib/server/auth';
import type { LayoutServerLoad } from './$types';

export const load = (({ locals }) => {
  const identity = requirePermission(locals.identity, 'view');
  return {
    me: {
      name: identity.kind === 'user' ? identity.name : identity.name,
      role: identity.role,
      csrfToken: identity.kind === 'user' ? identity.csrfToken : '',
      reports: can(identity.role, 'reports'),
      triage: can(identity.role, 'triage'),
      audit: can(identity.role, 'audit'),
      respond: can(identity.role, 'respond'),
      administer: can(identity.role, 'administer'),
    },
  };
}) satisfies LayoutServerLoad;
