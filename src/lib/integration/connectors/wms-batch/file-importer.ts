import type { MessageLedger } from '../../delivery/ledger';
import { DuplicateEventError, ValidationError } from '../../errors';
import type { AcceptEvents, RejectedMessage, WarehouseEvent } from '../warehouse-adapter';
import { assertSafeFileName, type SftpMailbox } from './sftp-mailbox';

/** A file's events, plus parts of it refused on their own (one bad transaction set in an interchange). */
export interface Decoded {
  events: WarehouseEvent[];
  rejected?: RejectedMessage[];
}

/** Where a mailbox keeps its files. */
export interface MailboxFolders {
  out: string;
  archive: string;
  error: string;
}

/**
 * Imports a partner's outbox once per file, for every file-based dialect: only complete files
 * are read (`decode` returns `undefined` for a file still being written, which stays for the next
 * poll); each file is recorded in the runtime's message ledger under (partner, kind, file name)
 * before decoding, so a re-sent or re-listed file is never imported twice; a decoded file moves
 * to the archive, a bad one to the error folder with its raw bytes kept in the ledger.
 */
export class FileImporter {
  constructor(
    private readonly mailbox: SftpMailbox,
    private readonly ledger: MessageLedger,
    private readonly partner: string,
    private readonly folders: MailboxFolders,
  ) {}

  async importAll(
    kindOf: (name: string) => string | undefined,
    decode: (name: string, kind: string, data: Buffer) => Promise<Decoded | undefined>,
    accept: AcceptEvents = async () => {},
  ): Promise<{ events: WarehouseEvent[]; rejected: RejectedMessage[] }> {
    const events: WarehouseEvent[] = [];
    const rejected: RejectedMessage[] = [];
    const names = (await this.mailbox.list(this.folders.out)).map((f) => f.name).sort();
    for (const name of names) {
      if (name.endsWith('.tmp') || name.endsWith('.part')) continue;
      try {
        assertSafeFileName(name);
      } catch (error) {
        rejected.push({ externalId: name, error: error as Error, rawPayload: '' });
        continue;
      }
      const kind = kindOf(name);
      if (!kind) {
        rejected.push({ externalId: name, error: new ValidationError(`unexpected file ${name} in ${this.folders.out}`, { fileName: name }), rawPayload: '' });
        continue;
      }
      const data = await this.mailbox.read(`${this.folders.out}/${name}`);
      let result: Decoded | undefined;
      let failure: Error | undefined;
      try {
        result = await decode(name, kind, data);
        if (result === undefined) continue; // still being written
      } catch (error) {
        failure = error as Error;
      }
      const raw = data.toString('latin1');
      const recorded = this.ledger.record({ direction: 'in', partner: this.partner, messageType: kind, externalId: name, rawPayload: raw });
      // Recorded by an earlier poll that stopped before the events were accepted: finish that import now.
      const unfinished = recorded.duplicate && recorded.samePayload && recorded.entry.state === 'input_received';
      if (recorded.duplicate && !unfinished) {
        // Same name again: identical means a re-send (archive it quietly); different content is a conflict to review.
        if (!recorded.samePayload)
          rejected.push({ externalId: name, error: new DuplicateEventError(`${name} was imported before with different content`, { fileName: name }), rawPayload: raw });
        await this.mailbox.move(`${this.folders.out}/${name}`, `${this.folders.archive}/${name}.dup-${Date.now()}`);
        continue;
      }
      if (failure) {
        this.ledger.transition(recorded.entry.id, 'input_processed_error');
        rejected.push({ externalId: name, error: failure, rawPayload: raw });
        await this.mailbox.move(`${this.folders.out}/${name}`, `${this.folders.error}/${name}`);
        continue;
      }
      await accept(result!.events);
      events.push(...result!.events);
      rejected.push(...(result!.rejected ?? []));
      this.ledger.transition(recorded.entry.id, 'input_processed');
      await this.mailbox.move(`${this.folders.out}/${name}`, `${this.folders.archive}/${name}`);
    }
    return { events, rejected };
  }
}
