import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { consoleServices } from '$lib/server/console-services';
import { getTransaction } from '$lib/server/transactions/transaction';
import type { RequestHandler } from './$types';

const CorrelationId = z
  .string()
  .min(1)
  .max(128, 'must be at most 128 characters')
  .regex(/^[\x21-\x7E]+$/, 'must be printable ASCII without spaces');

/** One business transaction: its traces, spans in order, and the milestones it reached. */
export const GET: RequestHandler = async ({ params }) => {
  const id = CorrelationId.safeParse(params.id);
  if (!id.success) error(400, `invalid correlation id: ${id.error.issues[0].message}`);
  const { clickhouse } = await consoleServices();
  const transaction = await getTransaction(clickhouse, id.data);
  if (!transaction) error(404, `no spans recorded for correlation id ${id.data}`);
  return json(transaction, { headers: { 'cache-control': 'no-store' } });
};
