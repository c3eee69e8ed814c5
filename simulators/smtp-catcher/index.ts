export { startSmtpCatcher } from './server';
export type { RunningSmtpCatcher, SmtpCatcherOptions } from './server';
export type { CaughtMessage, MessageSummary } from './mailbox';
