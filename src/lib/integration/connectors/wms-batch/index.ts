export { WmsBatchAdapter } from './adapter';
export type { WmsBatchDependencies } from './adapter';
export { WmsBatchConfig } from './config';
export type { WmsBatchConfigInput } from './config';
export { SftpMailbox, assertSafeFileName } from './sftp-mailbox';
export type { SftpEndpoint } from './sftp-mailbox';
export { FileImporter } from './file-importer';
export type { Decoded, MailboxFolders } from './file-importer';
