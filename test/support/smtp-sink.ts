import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message the sink accepted: the SMTP envelope and the parsed message. */
export interface Received {
  to: string[];
  mail: ParsedMail;
}

export interface SmtpSink {
  url: string;
  received: Received[];
  /** Answers the next `n` messages with a temporary failure (451), as a busy relay does. */
  failNext(n: number): void;
  /** Waits until `count` messages arrived (or throws after `timeoutMs`, saying how many did). */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback (smtp-server) that keeps and parses what it accepts, with AUTH
 * (user `alerts`, password `secret`) over plain loopback, the way a relay for alert email works.
 */
export async function startSmtpSink(): Promise<SmtpSink> {
  const received: Received[] = [];
  let failures = 0;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'alerts' && auth.password === 'secret') callback(null, { user: 'alerts' });
      else callback(new Error('invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (failures > 0) {
          failures--;
          return callback(Object.assign(new Error('mailbox busy, try again later'), { responseCode: 451 }));
        }
        void simpleParser(Buffer.concat(chunks)).then((mail) => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://alerts:secret@127.0.0.1:${port}`,
    received,
    failNext: (n) => (failures = n),
    async waitFor(count, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} messages, received ${received.length}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
