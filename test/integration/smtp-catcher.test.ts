import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSmtpCatcher } from '../../simulators/smtp-catcher';

/**
 * Speaks SMTP as a mail client does (EHLO, MAIL, RCPT, DATA, QUIT), checking every reply code, so
 * the catcher is held to the protocol rather than to a library's idea of it.
 */
async function sendMail(port: number, envelope: { from: string; to: string[] }, message: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('utf8');
  let buffer = '';
  const waiters: ((line: string) => void)[] = [];
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    // A reply ends with the line whose code is followed by a space ("250 OK"), not a dash.
    for (let match = /^(\d{3}) .*\r\n/m.exec(buffer); match; match = /^(\d{3}) .*\r\n/m.exec(buffer)) {
      const end = match.index + match[0].length;
      const reply = buffer.slice(0, end);
      buffer = buffer.slice(end);
      waiters.shift()?.(reply);
    }
  });
  const reply = () => new Promise<string>((resolve) => waiters.push(resolve));
  const expectCode = async (code: string, pending: Promise<string>) => {
    const text = await pending;
    if (!text.startsWith(code)) throw new Error(`expected ${code}, got ${text}`);
    return text;
  };
  const command = (line: string, code: string) => {
    const pending = reply();
    socket.write(`${line}\r\n`);
    return expectCode(code, pending);
  };
  await expectCode('220', reply());
  await command('EHLO alerts.crossdock.test', '250');
  await command(`MAIL FROM:<${envelope.from}>`, '250');
  for (const to of envelope.to) await command(`RCPT TO:<${to}>`, '250');
  await command('DATA', '354');
  // Dot-stuffing: a line starting with "." gets another one, so it cannot end the message early.
  const body = message.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
  const accepted = await command(`${body}\r\n.`, '250');
  await command('QUIT', '221');
  socket.end();
  return accepted;
}

const alert = (subject: string) =>
  [
    'From: Crossdock Alerts <alerts@crossdock.test>',
    'To: On-call <oncall@crossdock.test>',
    `Subject: ${subject}`,
    'Date: Fri, 27 Nov 2026 15:04:05 +0000',
    'Message-ID: <alert-1@crossdock.test>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Order S00042 has waited 3 minutes for its acknowledgement.',
    '.A line that starts with a dot survives.',
    'Open it: http://127.0.0.1:3000/transactions/S00042',
  ].join('\n');

describe('the SMTP catcher', () => {
  const dir = mkdtempSync(join(tmpdir(), 'smtp-catcher-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps what a mail client sends and lists it, newest first, across a restart', async () => {
    const catcher = await startSmtpCatcher({ dir, smtpPort: 0, controlPort: 0 });
    let id: string;
    try {
      await sendMail(catcher.smtpPort, { from: 'alerts@crossdock.test', to: ['oncall@crossdock.test', 'lead@crossdock.test'] }, alert('[Crossdock] SLA breach: S00042'));
      await sendMail(catcher.smtpPort, { from: 'alerts@crossdock.test', to: ['oncall@crossdock.test'] }, alert('[Crossdock] wms-rest unavailable'));

      const list = (await (await fetch(`${catcher.controlUrl}/_sim/messages`)).json()) as { messages: { id: string; subject: string; from: string; to: string; date: string; envelope: { to: string[] } }[]; total: number };
      expect(list.total).toBe(2);
      expect(list.messages.map((m) => m.subject)).toEqual(['[Crossdock] wms-rest unavailable', '[Crossdock] SLA breach: S00042']);
      const first = list.messages[1];
      expect(first).toMatchObject({
        from: '"Crossdock Alerts" <alerts@crossdock.test>',
        to: '"On-call" <oncall@crossdock.test>',
        date: '2026-11-27T15:04:05.000Z',
        envelope: { to: ['oncall@crossdock.test', 'lead@crossdock.test'] },
      });
      id = first.id;

      const message = (await (await fetch(`${catcher.controlUrl}/_sim/messages/${id}`)).json()) as { text: string };
      expect(message.text).toContain('Order S00042 has waited 3 minutes');
      expect(message.text).toContain('\n.A line that starts with a dot survives.');

      const raw = await fetch(`${catcher.controlUrl}/_sim/messages/${id}/raw`);
      expect(raw.headers.get('content-type')).toBe('message/rfc822');
      expect(await raw.text()).toContain('Subject: [Crossdock] SLA breach: S00042');
      expect(readFileSync(join(dir, `${id}.eml`), 'utf8')).toContain('Message-ID: <alert-1@crossdock.test>');
      expect((await fetch(`${catcher.controlUrl}/_sim/messages/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
    } finally {
      await catcher.close();
    }

    const again = await startSmtpCatcher({ dir, smtpPort: 0, controlPort: 0 });
    try {
      const list = (await (await fetch(`${again.controlUrl}/_sim/messages?limit=1`)).json()) as { messages: { subject: string }[]; total: number };
      expect(list.total).toBe(2);
      expect(list.messages.map((m) => m.subject)).toEqual(['[Crossdock] wms-rest unavailable']);
      expect(existsSync(join(dir, `${id}.json`))).toBe(true);
    } finally {
      await again.close();
    }
  });
});
