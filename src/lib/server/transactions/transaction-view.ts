import { error } from '@sveltejs/kit';
import { z } from 'zod';
import type { ExceptionMember } from '../../exceptions';
import { listTransactions, type TransactionRow } from '../../processes/queries/transactions';
import type { Proposal } from '../../remediation';
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
  /** Exceptions raised on this transaction, with their incident, newest first. */
  exceptions: (ExceptionMember & { incidentId: number; incidentStatus: string })[];
  /** Remediation proposals that act on or concern it. */
  proposals: Proposal[];
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
  return {
    ...transaction,
    states: states.items,
    runtime,
    exceptions: services.exceptions.queue.forCorrelation(parsed.data),
    proposals: services.proposals.forCorrelation(parsed.data),
  };
}
