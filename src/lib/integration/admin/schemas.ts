import { z } from 'zod';

/** `{id}` path segments: dead-letter ids are UUIDs; endpoint ids are lower-case names. */
export const DeadLetterId = z.uuid({ error: 'must be a dead-letter id (UUID)' });
export const EndpointId = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'must be an endpoint id such as wms-rest');

/** The `Idempotency-Key` header: required on replay and discard so a repeated approval is a no-op. */
export const IdempotencyKey = z
  .string({ error: 'the Idempotency-Key header is required' })
  .min(8, 'Idempotency-Key must be 8 to 200 characters')
  .max(200, 'Idempotency-Key must be 8 to 200 characters');

export const ReplayBody = z.object({ actor: z.string().min(1).max(200).default('admin-api') }).strict();
export const DiscardBody = z
  .object({
    reason: z.string({ error: 'reason is required' }).trim().min(1, 'reason is required').max(2_000),
    actor: z.string().min(1).max(200).default('admin-api'),
  })
  .strict();

/** A correlation id in a path: an order name, an RMA, a run id. */
export const CorrelationId = z.string().regex(/^[\x21-\x7E]{1,128}$/, 'must be a correlation id (printable ASCII, at most 128 characters)');

export const RerouteBody = z
  .object({
    warehouseId: z.string({ error: 'warehouseId is required' }).regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'must be a warehouse id such as edi-3pl'),
    reason: z.string({ error: 'reason is required' }).trim().min(1, 'reason is required').max(2_000),
    actor: z.string().min(1).max(200).default('admin-api'),
  })
  .strict();

export const ReconcileBody = z
  .object({
    actor: z.string().min(1).max(200).default('admin-api'),
    /** Bring Odoo to the warehouses' counts where they differ. @defaultValue true */
    correct: z.boolean().default(true),
  })
  .strict();

export const RunId = z.string().regex(/^RECON-[A-Za-z0-9-]{1,100}$/, 'must be a reconciliation run id (RECON-…)');
