/**
 * What a failed attempt to send alert email means: how long to wait before the next one, whether
 * there should be one, and what to record. Decided from nodemailer's error fields, never from
 * message text.
 */

const FIRST_RETRY_MS = 15_000;
const MAX_RETRY_MS = 15 * 60_000;

/**
 * The wait after failed attempt number `attempt` (1 after the first): 15 s, 30 s, 1 min, 2 min …
 * doubling up to 15 min, less up to 10% jitter so messages that failed together do not all come
 * back in the same second.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(delay * (1 - 0.1 * random()));
}

/** What nodemailer attaches to its errors (see nodemailer's errors.d.ts). */
export interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  permanent?: boolean;
  /** Which wait an ETIMEDOUT ended: CONNECT_TIMEOUT, GREETING_TIMEOUT, SOCKET_TIMEOUT … */
  timeoutType?: string;
}

// EENVELOPE and EMESSAGE are the server's (or nodemailer's) answer about this message or recipient;
// every other code is about reaching the server at all.
export const aboutTheMessage = (error: SmtpError) => error.code === 'EENVELOPE' || error.code === 'EMESSAGE';

// A 5xx reply, or a message nodemailer would not even send (no reply, permanent unset): trying
// again would get the same answer. A 4xx reply says `permanent: false`.
export const refusedForGood = (error: SmtpError) => aboutTheMessage(error) && error.permanent !== false;

/** "EAUTH 535: Invalid login: 535 Authentication failed", "ETIMEDOUT GREETING_TIMEOUT: …", at most 1,000 characters. */
export function describeFailure(error: SmtpError): string {
  const codes = [error.code, error.responseCode, error.timeoutType].filter((c) => c !== undefined).join(' ');
  return `${codes ? `${codes}: ` : ''}${error.message}`.slice(0, 1_000);
}

