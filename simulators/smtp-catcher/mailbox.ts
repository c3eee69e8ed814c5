import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import { z } from 'zod';

/** What the catcher remembers of one message besides its raw bytes (kept as `<id>.json`). */
export const CaughtMessage = z.object({
  id: z.string(),
  receivedAt: z.string(),
  /** The SMTP envelope: who the client said it sends from and to (Bcc recipients show only here). */
  envelope: z.object({ from: z.string(), to: z.array(z.string()) }),
  subject: z.string(),
  from: z.string(),
  to: z.string(),
  /** The message's own Date header, ISO; empty when it had none. */
  date: z.string(),
  size: z.number().int(),
  text: z.string(),
  html: z.string(),
});
export type CaughtMessage = z.infer<typeof CaughtMessage>;

/** A message in a listing: everything but the bodies. */
export type MessageSummary = Omit<CaughtMessage, 'text' | 'html'>;

/** Ids are time-ordered and safe as file names: only these ever reach the file system. */
const ID = /^\d{17}-[0-9a-f]{8}$/;

/**
 * The catcher's messages on disk: each one's raw bytes (`<id>.eml`, openable in any mail client)
 * and what was parsed from it (`<id>.json`). A restarted catcher lists what it caught before.
 */
export class Mailbox {
  readonly #summaries: MessageSummary[] = [];

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
      const parsed = CaughtMessage.safeParse(JSON.parse(readFileSync(join(dir, name), 'utf8')));
      if (parsed.success) this.#summaries.push(summary(parsed.data));
    }
  }

  /** Keeps one message: raw first, so a message whose parse fails is still there to open. */
  async keep(raw: Buffer, envelope: CaughtMessage['envelope'], now = new Date()): Promise<CaughtMessage> {
    const id = `${now.toISOString().replace(/\D/g, '').slice(0, 17)}-${randomBytes(4).toString('hex')}`;
    writeAtomically(join(this.dir, `${id}.eml`), raw);
    let parsed: Pick<CaughtMessage, 'subject' | 'from' | 'to' | 'date' | 'text' | 'html'> = { subject: '', from: '', to: '', date: '', text: '', html: '' };
    try {
      const mail = await simpleParser(raw);
      parsed = {
        subject: mail.subject ?? '',
        from: mail.from?.text ?? '',
        to: addresses(mail.to),
        date: mail.date?.toISOString() ?? '',
        text: mail.text ?? '',
        html: typeof mail.html === 'string' ? mail.html : '',
      };
    } catch {
      // Not parseable as a message: it is kept raw and listed with empty headers, for a human to open.
    }
    const message: CaughtMessage = { id, receivedAt: now.toISOString(), envelope, size: raw.length, ...parsed };
    writeAtomically(join(this.dir, `${id}.json`), Buffer.from(JSON.stringify(message, null, 2)));
    this.#summaries.push(summary(message));
    return message;
  }

  /** Newest first. */
  list(limit = 100): MessageSummary[] {
    return this.#summaries.slice(-limit).reverse();
  }

  get count(): number {
    return this.#summaries.length;
  }

  get(id: string): CaughtMessage | undefined {
    const file = join(this.dir, `${id}.json`);
    if (!ID.test(id) || !existsSync(file)) return undefined;
    return CaughtMessage.parse(JSON.parse(readFileSync(file, 'utf8')));
  }

  raw(id: string): Buffer | undefined {
    const file = join(this.dir, `${id}.eml`);
    return ID.test(id) && existsSync(file) ? readFileSync(file) : undefined;
  }
}

function summary(message: CaughtMessage): MessageSummary {
  const { text: _t, html: _h, ...rest } = message;
  return rest;
}

function addresses(to: AddressObject | AddressObject[] | undefined): string {
  if (!to) return '';
  return (Array.isArray(to) ? to : [to]).map((a) => a.text).join(', ');
}

function writeAtomically(path: string, data: Buffer): void {
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}
