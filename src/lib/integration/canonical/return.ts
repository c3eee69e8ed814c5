import { z } from 'zod';
import { Identifier, PositiveDecimal, Sku, Timestamp } from './primitives';

export const ReturnReason = z.enum(['damaged', 'wrong_item', 'not_needed', 'defective', 'undeliverable', 'other']);
export type ReturnReason = z.infer<typeof ReturnReason>;

export const ReturnLine = z.object({
  sku: Sku,
  quantity: PositiveDecimal,
  uom: z.string().min(1),
  /** Whether the item can go back to stock. */
  condition: z.enum(['sellable', 'damaged', 'quarantine']),
});
export type ReturnLine = z.output<typeof ReturnLine>;

/** Goods received back at a warehouse. `returnId` is the return authorisation and the correlation ID. */
export const Return = z.object({
  returnId: Identifier,
  orderId: Identifier,
  warehouseId: Identifier,
  receivedAt: Timestamp,
  reason: ReturnReason,
  note: z.string().max(2000).optional(),
  lines: z.array(ReturnLine).min(1, 'a return needs at least one line'),
});
export type Return = z.output<typeof Return>;
