import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { listTransactions, type TransactionRow } from '../../processes/queries/transactions';
import type { ConsoleServices } from '../console-services';
import { readRuntimeTransaction, type RuntimeTransaction } from '../runtime-admin';
import { getTransaction, type Transaction } from './transaction';

export const CorrelationId = z
  .string()
  .min(1)
  .max(128, 'must be at most 128 characters')
  .regex(/^[\x21-\x7E]+$/, 'must be printable ASCII without spaces');

export interface TransactionView extends Transaction {
  /** The transaction's state in each process it takes part in. */
  states: TransactionRow[];
  /** What the runtime knows: the order's warehouse and route, and the partner messages with payload excerpts. */
  runtime: RuntimeTransaction;
}

/** Everything the transaction page shows; undefined when nothing was recorded for the id. */
export async function loadTransactionView(services: ConsoleServices, id: string): Promise<TransactionView | undefined> {
  const parsed = CorrelationId.safeParse(id);
  if (!parsed.success) error(400, `invalid correlation id: ${parsed.error.issues[0].message}`);
  const [transaction, states, runtime] = await Promise.all([
    getTransaction(services.clickhouse, parsed.data),
    listTransactions(services.clickhouse, { correlationId: parsed.data, limit: 50 }),
    readRuntimeTransaction(services.config.runtime, parsed.data),
  ]);
  if (!transaction) return undefined;
  return { ...transaction, states: states.items, runtime };
}
