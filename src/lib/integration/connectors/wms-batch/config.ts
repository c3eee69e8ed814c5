import { z } from 'zod';
import { WarehouseMapping } from '../warehouse-mapping';

/** Where an SFTP mailbox is and how to sign in; the password arrives from the `WarehousesEnv` config area. */
export const SftpEndpointConfig = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  username: z.string().min(1),
  password: z.string().min(1),
  timeoutMs: z.number().int().positive().default(10_000),
});

/** A mailbox's folders: we write to `in`, the partner to `out`; read files move to `archive` or `error`. */
export const MailboxFolders = z
  .object({ in: z.string().default('/in'), out: z.string().default('/out'), archive: z.string().default('/archive'), error: z.string().default('/error') })
  .default({ in: '/in', out: '/out', archive: '/archive', error: '/error' });

/** Everything one batch-file WMS adapter needs. */
export const WmsBatchConfig = z.object({
  sftp: SftpEndpointConfig,
  /** Our depositor code in the WMS's file names (`ORD_<client>_…`). */
  clientCode: z.string().regex(/^[A-Z0-9]{2,12}$/, 'must be 2–12 upper-case letters or digits'),
  mapping: WarehouseMapping,
  folders: MailboxFolders,
});
export type WmsBatchConfig = z.output<typeof WmsBatchConfig>;
export type WmsBatchConfigInput = z.input<typeof WmsBatchConfig>;
