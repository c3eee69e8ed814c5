import { z } from 'zod';
import { WarehouseMapping } from '../warehouse-mapping';
import { MailboxFolders, SftpEndpointConfig } from '../wms-batch/config';

const PartyId = z.string().regex(/^[A-Z0-9 ]{1,15}$/, 'must be 1–15 upper-case letters, digits or spaces (ISA06/08)');

/** Everything one X12 3PL adapter needs; it exchanges files through the same kind of SFTP mailbox as the batch WMS. */
export const Edi3plConfig = z.object({
  sftp: SftpEndpointConfig,
  /** Our interchange id (ISA06) and the 3PL's (ISA08), both qualifier `ZZ` unless told. */
  ourId: PartyId,
  partnerId: PartyId,
  qualifier: z.string().length(2).default('ZZ'),
  usage: z.enum(['T', 'P']).default('P'),
  mapping: WarehouseMapping,
  /** How long a 940 may wait for its 997 before that is an exception, in ms. @defaultValue 3600000 */
  ackSlaMs: z.number().int().positive().default(3_600_000),
  folders: MailboxFolders,
});
export type Edi3plConfig = z.output<typeof Edi3plConfig>;
export type Edi3plConfigInput = z.input<typeof Edi3plConfig>;
