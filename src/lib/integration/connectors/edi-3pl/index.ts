export { Edi3plAdapter, AcknowledgementOverdueError } from './adapter';
export type { Edi3plDependencies } from './adapter';
export { Edi3plConfig } from './config';
export type { Edi3plConfigInput } from './config';
export { parseX12, writeX12 } from './x12-document';
export type { Interchange, TransactionSet, Segment } from './x12-document';
