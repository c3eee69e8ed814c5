import { z } from 'zod';

/** The JSON-RPC envelope Odoo answers with (`result` absent when the method returned None). */
export const JsonRpcReply = z.union([
  z.object({
    jsonrpc: z.literal('2.0'),
    id: z.unknown(),
    error: z.object({
      code: z.number(),
      message: z.string(),
      data: z.object({ name: z.string(), message: z.string() }).passthrough(),
    }),
  }),
  z.object({ jsonrpc: z.literal('2.0'), id: z.unknown(), result: z.unknown().optional() }),
]);

/** A JSON-2 error body (`serialize_exception`). */
export const Json2Error = z.object({ name: z.string(), message: z.string() }).passthrough();

/** `common.version`. */
export const VersionInfo = z.object({
  server_version: z.string(),
  server_version_info: z.array(z.union([z.number(), z.string()])).min(2),
  server_serie: z.string().optional(),
});

/** Odoo's `false` for an empty value, or the value. */
export const orFalse = <S extends z.ZodType>(schema: S) => z.union([z.literal(false), schema]);
/** A many2one read with the default load: `[id, "display name"]` or `false`. */
export const Many2one = orFalse(z.tuple([z.number().int(), z.string()]));
/** `YYYY-MM-DD HH:MM:SS`, naive UTC. */
export const OdooDatetime = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'must be an Odoo datetime (YYYY-MM-DD HH:MM:SS)');

/** Odoo's naive UTC datetime as RFC 3339. */
export const toTimestamp = (value: string) => `${value.replace(' ', 'T')}Z`;

/** A recordset read: rows with an `id` and a `write_date` (what incremental sync keys on). */
export const Versioned = z.object({ id: z.number().int(), write_date: OdooDatetime }).passthrough();
export type Versioned = z.infer<typeof Versioned>;
