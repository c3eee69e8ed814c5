export { startWmsBatchSimulator, WmsBatchFaults } from './server';
export type { RunningBatchSimulator, WmsBatchSimulatorOptions } from './server';
export { startSftpServer } from './sftp-server';
export type { RunningSftpServer, SftpServerOptions } from './sftp-server';
