import { error, json } from '@sveltejs/kit';
import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
  requirePermission(locals.identity, 'view');
  const { proposals } = await consoleServices();
  const proposal = proposals.get(params.id);
  if (!proposal) error(404, `no proposal ${params.id}`);
  return json(proposal, { headers: { 'cache-control': 'no-store' } });
};
