import { simpleParser, type ParsedMail } from 'mailparser';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compose, createMailer, MailOutbox, defaultTemplates, type Mailer } from '../../../src/lib/alerts/email';
import { loadConfig } from '../../../src/lib/config';
import { openConsoleDb, type ConsoleDb } from '../../../src/lib/server/console-db';
import { aNotice, NOTICE_AT } from '../../factories/alert-notice';

/**
 * Alert email end to end against real SMTP servers (smtp-server) on 127.0.0.1: composed, kept in
 * the outbox, delivered by nodemailer over plain loopback, implicit TLS and STARTTLS, retried
 * through refusals and outages, and never held up by a server that does not answer.
 */

interface Received {
  mail: ParsedMail;
  secure: boolean;
  user: unknown;
}

interface Sink {
  port: number;
  received: Received[];
  authMethods: string[];
  close(): Promise<void>;
}

/** An SMTP server that takes `alerts`/`secret` and keeps what it accepts, parsed. */
async function startSink(options: Partial<SMTPServerOptions> & { refuseFirst?: number } = {}, port = 0): Promise<Sink> {
  const received: Received[] = [];
  const authMethods: string[] = [];
  let refusals = options.refuseFirst ?? 0;
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      authMethods.push(auth.method);
      if (auth.username === 'alerts' && auth.password === 'secret') callback(null, { user: 'alerts' });
      else callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (refusals > 0) {
          refusals--;
          return callback(Object.assign(new Error('mailbox busy, try again later'), { responseCode: 451 }));
        }
        simpleParser(Buffer.concat(chunks)).then((mail) => {
          received.push({ mail, secure: session.secure, user: session.user });
          callback(null);
        }, callback);
      });
    },
    ...options,
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    authMethods,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// Loopback with no certificate: STARTTLS is not offered, login over the plain connection is allowed.
const plain = { disabledCommands: ['STARTTLS'], allowInsecureAuth: true } satisfies Partial<SMTPServerOptions>;

const smtpConfig = (url: string, env: Record<string, string> = {}) => loadConfig({ SMTP_URL: url, SMTP_FROM: 'Crossdock alerts <alerts@crossdock.test>', ...env }).smtp;

let dir: string;
let db: ConsoleDb;
let outbox: MailOutbox;
const mailers: Mailer[] = [];
const sinks: Sink[] = [];

const mailerFor = (url: string, env: Record<string, string> = {}, timeoutMs = 5_000) => {
  const mailer = createMailer(smtpConfig(url, env), { timeoutMs })!;
  mailers.push(mailer);
  return mailer;
};
const sink = async (options: Parameters<typeof startSink>[0] = plain, port = 0) => {
  const started = await startSink(options, port);
  sinks.push(started);
  return started;
};
const enqueue = (notice = aNotice()) =>
  outbox.enqueue({ groupId: notice.groupId, kind: notice.kind, recipient: notice.recipient, message: compose(notice, defaultTemplates[notice.kind]) }, notice.at);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crossdock-mail-'));
  db = openConsoleDb(join(dir, 'console.db'));
  outbox = new MailOutbox(db, { random: () => 0 });
});
afterEach(async () => {
  for (const mailer of mailers.splice(0)) mailer.close();
  await Promise.all(sinks.splice(0).map((s) => s.close()));
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('over plain loopback with a login', () => {
  it('delivers what was composed, threaded, with the numbers and the links, by AUTH PLAIN and LOGIN', async () => {
    const server = await sink();
    const firing = enqueue(aNotice({ kind: 'firing' }));
    const resolved = enqueue(aNotice({ kind: 'resolved', at: NOTICE_AT + 600_000, links: { ...aNotice().links, acknowledge: null } }));
    expect(await outbox.deliverDue(mailerFor(`smtp://alerts:secret@127.0.0.1:${server.port}`), NOTICE_AT)).toMatchObject({ sent: 1 });
    expect(await outbox.deliverDue(mailerFor(`smtp://alerts:secret@127.0.0.1:${server.port}?authMethod=LOGIN`), NOTICE_AT + 600_000)).toMatchObject({ sent: 1 });
    expect(server.authMethods).toEqual(['PLAIN', 'LOGIN']);

    const [first, second] = server.received.map((r) => r.mail);
    expect(server.received.map((r) => [r.user, r.secure])).toEqual([['alerts', false], ['alerts', false]]);
    expect(first.from?.text).toBe('"Crossdock alerts" <alerts@crossdock.test>');
    expect(first.to).toMatchObject({ value: [{ name: 'Ada Okafor', address: 'ada@crossdock.example' }] });
    expect(first.subject).toBe('[FIRING · CRITICAL] wms-rest: circuit to wms-rest open (2 alerts)');
    expect(second.subject).toBe('[RESOLVED] wms-rest: circuit to wms-rest open (2 alerts)');
    expect(first.headers.get('x-crossdock-group')).toBe('partner=wms-rest');
    expect([first.headers.get('x-crossdock-notice'), second.headers.get('x-crossdock-notice')]).toEqual(['firing', 'resolved']);
    expect(first.references).toBeUndefined();
    expect(second.inReplyTo).toBe(first.messageId);
    expect(second.references).toBe(first.messageId);
    expect(outbox.get(firing)).toMatchObject({ status: 'sent', messageId: first.messageId });
    expect(outbox.get(resolved)).toMatchObject({ status: 'sent', messageId: second.messageId });

    expect(first.text).toContain('value 37, firing for 5 min');
    expect(first.text).toContain('https://ops.example.com/transactions/S00042');
    expect(first.text).toContain('Acknowledge: https://ops.example.com/ack/token-7');
    expect(first.html).toContain('href="https://ops.example.com/ack/token-7"');
    expect(first.html).toContain('href="https://ops.example.com/transactions/S00043"');
    expect(first.html).toContain('>37</td>');
    expect(second.html).not.toContain('Acknowledge');
  });

  it('records a refused login and delivers on the retry once the password is right', async () => {
    const server = await sink();
    const id = enqueue();
    expect(await outbox.deliverDue(mailerFor(`smtp://alerts:wrong@127.0.0.1:${server.port}`), NOTICE_AT)).toEqual({ sent: 0, failed: 0, retried: 1 });
    const failed = outbox.get(id)!;
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: NOTICE_AT + 15_000 });
    expect(failed.lastError).toMatch(/^EAUTH 535: Invalid login: 535 Authentication credentials invalid/);
    expect(server.received).toEqual([]);

    const fixed = mailerFor(`smtp://alerts:secret@127.0.0.1:${server.port}`);
    expect(await outbox.deliverDue(fixed, NOTICE_AT + 14_000)).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(await outbox.deliverDue(fixed, NOTICE_AT + 15_000)).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(outbox.get(id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(server.received).toHaveLength(1);
  });
});

describe('over TLS with a private CA', () => {
  let certs: string;
  let tls: { key: Buffer; cert: Buffer };

  beforeAll(() => {
    certs = mkdtempSync(join(tmpdir(), 'crossdock-mail-tls-'));
    // A one-day self-signed certificate for 127.0.0.1 (Node checks an IP against the SAN, not the CN).
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1', '-keyout', join(certs, 'key.pem'), '-out', join(certs, 'cert.pem')], { stdio: 'ignore' });
    tls = { key: readFileSync(join(certs, 'key.pem')), cert: readFileSync(join(certs, 'cert.pem')) };
  });
  afterAll(() => rmSync(certs, { recursive: true, force: true }));

  const trusted = () => ({ SMTP_TLS_CA_FILE: join(certs, 'cert.pem') });

  it('delivers over smtps:// (TLS from the start) when the CA is trusted, and refuses the certificate otherwise', async () => {
    const server = await sink({ secure: true, ...tls });
    const url = `smtps://alerts:secret@127.0.0.1:${server.port}`;
    const id = enqueue();
    expect(await outbox.deliverDue(mailerFor(url), NOTICE_AT)).toMatchObject({ retried: 1 });
    expect(outbox.get(id)!.lastError).toMatch(/self[- ]signed certificate/i);
    expect(await outbox.deliverDue(mailerFor(url, trusted()), NOTICE_AT + 15_000)).toMatchObject({ sent: 1 });
    expect(server.received.map((r) => [r.secure, r.user])).toEqual([[true, 'alerts']]);
  });

  it('upgrades smtp:// with STARTTLS before logging in when the server offers it', async () => {
    const server = await sink({ ...tls });
    const id = enqueue();
    expect(await outbox.deliverDue(mailerFor(`smtp://alerts:secret@127.0.0.1:${server.port}`, trusted()), NOTICE_AT)).toMatchObject({ sent: 1 });
    expect(server.received.map((r) => r.secure)).toEqual([true]);
    expect(outbox.get(id)!.status).toBe('sent');
  });

  it('refuses to go on without TLS when the URL requires it', async () => {
    const server = await sink();
    const id = enqueue();
    expect(await outbox.deliverDue(mailerFor(`smtp://alerts:secret@127.0.0.1:${server.port}?requireTLS=true`), NOTICE_AT)).toMatchObject({ retried: 1 });
    expect(outbox.get(id)!.lastError).toMatch(/STARTTLS/);
    expect(server.received).toEqual([]);
  });
});

describe('through refusals and outages', () => {
  it('retries temporary refusals and delivers each message exactly once', async () => {
    const server = await sink({ ...plain, refuseFirst: 2 });
    const mailer = mailerFor(`smtp://alerts:secret@127.0.0.1:${server.port}`);
    const ids = [enqueue(aNotice({ kind: 'firing' })), enqueue(aNotice({ kind: 'repeat' }))];
    expect(await outbox.deliverDue(mailer, NOTICE_AT)).toEqual({ sent: 0, failed: 0, retried: 2 });
    expect(ids.map((id) => outbox.get(id)!.lastError)).toEqual([expect.stringMatching(/^EMESSAGE 451: /), expect.stringMatching(/^EMESSAGE 451: /)]);
    expect(await outbox.deliverDue(mailer, NOTICE_AT + 15_000)).toEqual({ sent: 2, failed: 0, retried: 0 });
    expect(await outbox.deliverDue(mailer, NOTICE_AT + 3_600_000)).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(server.received.map((r) => r.mail.headers.get('x-crossdock-notice'))).toEqual(['firing', 'repeat']);
    expect(ids.map((id) => outbox.get(id))).toMatchObject([{ status: 'sent', attempts: 1 }, { status: 'sent', attempts: 1 }]);
  });

  it('keeps mail through a server that is down, and delivers when it is back', async () => {
    const first = await sink();
    const { port } = first;
    const mailer = mailerFor(`smtp://alerts:secret@127.0.0.1:${port}`);
    await first.close();
    sinks.splice(sinks.indexOf(first), 1);
    const ids = [enqueue(), enqueue()];
    // Unreachable: the first attempt says so and the pass ends; the second message is not tried in vain.
    expect(await outbox.deliverDue(mailer, NOTICE_AT)).toEqual({ sent: 0, failed: 0, retried: 1 });
    expect(outbox.get(ids[0])!.lastError).toMatch(/^ESOCKET: .*ECONNREFUSED/);
    expect(outbox.get(ids[1])!.attempts).toBe(0);

    const back = await sink(plain, port);
    expect(await outbox.deliverDue(mailer, NOTICE_AT + 15_000)).toEqual({ sent: 2, failed: 0, retried: 0 });
    expect(back.received).toHaveLength(2);
    expect(ids.map((id) => outbox.get(id)!.attempts)).toEqual([1, 0]);
  });
});

describe('against a server that never answers', () => {
  let silent: { port: number; close(): Promise<void> };

  beforeAll(async () => {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    silent = {
      port: (server.address() as AddressInfo).port,
      close: () => {
        for (const socket of sockets) socket.destroy();
        return new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  });
  afterAll(() => silent.close());

  it('gives up after the greeting timeout and ends the pass instead of waiting once per message', async () => {
    const ids = [enqueue(), enqueue(), enqueue()];
    const started = Date.now();
    const result = await outbox.deliverDue(mailerFor(`smtp://alerts:secret@127.0.0.1:${silent.port}`, {}, 300), NOTICE_AT);
    const elapsed = Date.now() - started;
    expect(result).toEqual({ sent: 0, failed: 0, retried: 1 });
    expect(elapsed).toBeLessThan(2_000);
    expect(outbox.get(ids[0])!.lastError).toMatch(/^ETIMEDOUT (GREETING|SOCKET)_TIMEOUT: /);
    expect(ids.map((id) => outbox.get(id)!.attempts)).toEqual([1, 0, 0]);
  });

  it('gives up on a server that trickles its answer to stay under the idle timeout', async () => {
    // Greets, then answers EHLO one continuation line every 100 ms, never finishing: only the
    // deadline for the whole message (three timeouts) ends this.
    const timers = new Set<NodeJS.Timeout>();
    const trickler = createServer((socket) => {
      socket.write('220 slow.test ESMTP\r\n');
      socket.once('data', () => {
        const timer = setInterval(() => socket.write('250-still thinking\r\n'), 100);
        timers.add(timer);
        socket.on('close', () => clearInterval(timer));
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => trickler.listen(0, '127.0.0.1', resolve));
    try {
      const id = enqueue();
      const started = Date.now();
      const port = (trickler.address() as AddressInfo).port;
      expect(await outbox.deliverDue(mailerFor(`smtp://alerts:secret@127.0.0.1:${port}`, {}, 300), NOTICE_AT)).toMatchObject({ retried: 1 });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(outbox.get(id)!.lastError).toBe('ETIMEDOUT: the mail server did not take the message within 900 ms');
    } finally {
      for (const timer of timers) clearInterval(timer);
      trickler.close();
    }
  });

  it('gives up on a server that takes the message and never confirms it', async () => {
    const server = await sink({ ...plain, onData: () => undefined });
    const id = enqueue();
    const started = Date.now();
    expect(await outbox.deliverDue(mailerFor(`smtp://alerts:secret@127.0.0.1:${server.port}`, {}, 300), NOTICE_AT)).toMatchObject({ retried: 1 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(outbox.get(id)!.lastError).toMatch(/^ETIMEDOUT SOCKET_TIMEOUT: /);
  });
});
