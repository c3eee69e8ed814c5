import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { sendJson, startControlServer } from '../wms-rest/sim-kit';
import { Mailbox } from './mailbox';

export interface SmtpCatcherOptions {
  /** Messages are kept here (`<id>.eml` and `<id>.json`). */
  dir: string;
  host?: string;
  /** @defaultValue 2525 */
  smtpPort?: number;
  /** @defaultValue 9104 */
  controlPort?: number;
  /** Largest message accepted, in bytes. @defaultValue 10 MiB */
  maxMessageBytes?: number;
}

export interface RunningSmtpCatcher {
  smtpPort: number;
  controlUrl: string;
  mailbox: Mailbox;
  close(): Promise<void>;
}

/**
 * A mail server for demo mode that delivers nothing: it accepts every message on loopback, keeps
 * it, and lists it on a control HTTP port, so alert emails can be read without a real mail server.
 */
export async function startSmtpCatcher(options: SmtpCatcherOptions): Promise<RunningSmtpCatcher> {
  const host = options.host ?? '127.0.0.1';
  const mailbox = new Mailbox(options.dir);
  const smtp = new SMTPServer({
    name: 'crossdock-smtp-catcher',
    banner: 'Crossdock SMTP catcher: messages are kept, never delivered',
    // Without a certificate of its own STARTTLS would only make clients fail verification; on
    // loopback there is nothing to protect, so it is not offered and any login is taken.
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'anonymous' }),
    size: options.maxMessageBytes ?? 10 * 1024 * 1024,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 2_000,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(Object.assign(new Error('Message exceeds the fixed maximum message size'), { responseCode: 552 }));
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        };
        mailbox.keep(Buffer.concat(chunks), envelope).then(
          (message) => callback(null, `Kept as ${message.id}`),
          (error: unknown) => callback(Object.assign(new Error(`could not keep the message: ${(error as Error).message}`), { responseCode: 451 })),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(options.smtpPort ?? 2525, host, () => {
      smtp.off('error', reject);
      resolve();
    });
  });
  // A broken client connection must not take the catcher down.
  smtp.on('error', () => undefined);
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const control = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (req.method !== 'GET' || parts[0] !== '_sim') return sendJson(res, 404, { error: 'not found' });
    if (parts[1] === 'state' && parts.length === 2) return sendJson(res, 200, { dialect: 'smtp-catcher', smtp: `smtp://${host}:${smtpPort}`, messages: mailbox.count });
    if (parts[1] !== 'messages') return sendJson(res, 404, { error: 'not found' });
    if (parts.length === 2) {
      const limit = Number(url.searchParams.get('limit') ?? 100);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return sendJson(res, 400, { error: 'limit must be 1..1000' });
      return sendJson(res, 200, { messages: mailbox.list(limit), total: mailbox.count });
    }
    if (parts.length === 3) {
      const message = mailbox.get(parts[2]);
      return message ? sendJson(res, 200, message) : sendJson(res, 404, { error: `no message ${parts[2]}` });
    }
    if (parts.length === 4 && parts[3] === 'raw') {
      const raw = mailbox.raw(parts[2]);
      if (!raw) return sendJson(res, 404, { error: `no message ${parts[2]}` });
      res.writeHead(200, { 'content-type': 'message/rfc822', 'content-length': raw.length });
      return void res.end(raw);
    }
    return sendJson(res, 404, { error: 'not found' });
  };
  const http = await startControlServer(control, { port: options.controlPort ?? 9104, host }).catch(async (error: unknown) => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    throw error;
  });

  return {
    smtpPort,
    controlUrl: http.url,
    mailbox,
    async close() {
      await http.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}
