import { z } from 'zod';

/**
 * Ledger states, after OCA edi-framework's `edi.exchange.record`: inbound
 * `input_pending → input_received → input_processed`, outbound
 * `output_pending → output_sent → output_sent_and_processed`, each with its error states.
 */
export const LedgerState = z.enum([
  'new',
  'validate_error',
  'input_pending',
  'input_received',
  'input_receive_error',
  'input_processed',
  'input_processed_error',
  'output_pending',
  'output_sent',
  'output_error_on_send',
  'output_sent_and_processed',
  'output_sent_and_error',
]);
export type LedgerState = z.infer<typeof LedgerState>;

/** Allowed moves. Error states roll back to where a retry starts (edi-framework's rollback map). */
export const ledgerTransitions: Readonly<Record<LedgerState, readonly LedgerState[]>> = {
  new: ['input_pending', 'output_pending', 'validate_error'],
  validate_error: ['new'],
  input_pending: ['input_received', 'input_receive_error'],
  input_received: ['input_processed', 'input_processed_error'],
  input_receive_error: ['input_pending'],
  input_processed: [],
  input_processed_error: ['input_received'],
  output_pending: ['output_sent', 'output_error_on_send'],
  output_sent: ['output_sent_and_processed', 'output_sent_and_error'],
  output_error_on_send: ['output_pending'],
  output_sent_and_processed: [],
  output_sent_and_error: ['output_pending'],
};
