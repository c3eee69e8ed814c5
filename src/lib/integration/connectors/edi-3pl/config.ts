import { z } from 'zod';
import { WarehouseMapping } from '../warehouse-mapping';

const PartyId = z.string().regex(/^[A-Z0-9 ]{1,15}$/, 'must be 1–15 upper-case letters, digits or spaces (ISA06/08)');

/** Everything one X12 3PL adapter needs; the SFTP password arrives from the `WarehousesEnv` config area. */
export const Edi3plConfig = z.object({
  sftp: z.object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    username: z.string().min(1),
    password: z.string().min(1),
    timeoutMs: z.number().int().positive().default(10_000),
  }),
  /** Our interchange id (ISA06) and the 3PL's (ISA08), both qualifier `ZZ` unless told. */
  ourId: PartyId,
  partnerId: PartyId,
  qualifier: z.string().length(2).default('ZZ'),
  usage: z.enum(['T', 'P']).default('P'),
  mapping: WarehouseMapping,
  /** How long a 940 may wait for its 997 before that is an exception, in ms. @defaultValue 3600000 */
  ackSlaMs: z.number().int().positive().default(3_600_000),
  folders: z
    .object({ in: z.string().default('/in'), out: z.string().default('/out'), archive: z.string().default('/archive'), error: z.string().default('/error') })
    .default({ in: '/in', out: '/out', archive: '/archive', error: '/error' }),
});
export type Edi3plConfig = z.output<typeof Edi3plConfig>;
export type Edi3plConfigInput = z.input<typeof Edi3plConfig>;
