import type { Mailer, OutgoingMail } from '../../src/lib/alerts/email';

/**
 * A Mailer that keeps what it is asked to send instead of speaking SMTP. `fail` decides per call
 * (1-based) whether it refuses, and with which error.
 */
export function fakeMailer(fail: (mail: OutgoingMail, call: number) => Error | undefined = () => undefined) {
  const sent: OutgoingMail[] = [];
  let calls = 0;
  const mailer: Mailer = {
    async send(mail) {
      const error = fail(mail, ++calls);
      if (error) throw error;
      sent.push(mail);
      return { messageId: mail.headers['Message-ID'] ?? `<m${calls}@test>` };
    },
    async verify() {},
    close() {},
  };
  return { mailer, sent, calls: () => calls };
}

/** An error shaped as nodemailer's: its code, the SMTP reply code, and `permanent` for 5xx. */
export const smtpError = (code: string, responseCode?: number) =>
  Object.assign(new Error(`${code} refused${responseCode ? `: ${responseCode} try later` : ''}`), {
    code,
    responseCode,
    permanent: responseCode === undefined ? undefined : responseCode >= 500,
  });
