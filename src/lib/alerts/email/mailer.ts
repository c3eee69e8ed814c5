import { rootCertificates } from 'node:tls';
import nodemailer from 'nodemailer';
import type { SmtpConfig } from '../../config';
import type { Recipient } from '../alert';

/** One email to one person. */
export interface OutgoingMail {
  to: Pick<Recipient, 'name' | 'email'>;
  subject: string;
  text: string;
  html: string;
  /** Sent as they are; a `Message-ID` among them becomes the message's id. */
  headers: Record<string, string>;
}

/** Sends alert email; the port the outbox delivers through (tests pass a fake). */
export interface Mailer {
  /** @throws the SMTP error (nodemailer's, with `code`, `responseCode` and `permanent`) when the server does not take it. */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  /** Connects and logs in without sending, e.g. for a health check. @throws as `send` does */
  verify(): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  /** Longest wait to connect, for the greeting, and for any reply once connected, in ms. @defaultValue 10_000 */
  timeoutMs?: number;
}

/**
 * The SMTP mailer for `SMTP_URL`, or undefined when it is unset: then no alert email can leave,
 * and the caller keeps notices in the outbox as undelivered until a server is configured.
 *
 * The URL is read by nodemailer: `smtps://` is TLS from the first byte, `smtp://` upgrades with
 * STARTTLS whenever the server offers it, and the user and (percent-encoded) password in it are
 * the login. Nodemailer's own options may be added as query parameters, e.g. `?requireTLS=true`
 * to refuse a server that does not offer STARTTLS. Every wait is bounded (`timeoutMs`, and three
 * times that for a whole message), so a server that hangs delays delivery but blocks nobody.
 */
export function createMailer(config: SmtpConfig, options: MailerOptions = {}): Mailer | undefined {
  if (!config.url) return undefined;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const transport = nodemailer.createTransport(
    {
      url: config.url,
      // One login serves many messages: an incident told to a rota and its managers, or a
      // backlog after an outage, goes out over a few kept connections rather than one each.
      pool: true,
      maxConnections: 2,
      maxMessages: 100,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      dnsTimeout: timeoutMs,
      // Node replaces its public roots with `ca` when given one; keep them, so a private CA is an addition.
      tls: config.tlsCa ? { ca: [...rootCertificates, config.tlsCa] } : undefined,
    },
    { from: config.from },
  );
  return {
    async send(mail) {
      const { 'Message-ID': messageId, ...headers } = mail.headers;
      // socketTimeout is per reply, so a server that trickles its replies would never hit it.
      const deadlineMs = 3 * timeoutMs;
      const deadline = AbortSignal.timeout(deadlineMs);
      try {
        const info = await transport.sendMail({
          to: { name: mail.to.name, address: mail.to.email },
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers,
          messageId,
          signal: deadline,
        });
        return { messageId: info.messageId };
      } catch (error) {
        if (!deadline.aborted) throw error;
        throw Object.assign(new Error(`the mail server did not take the message within ${deadlineMs} ms`, { cause: error }), { code: 'ETIMEDOUT' });
      }
    },
    async verify() {
      await transport.verify();
    },
    close() {
      transport.close();
    },
  };
}
