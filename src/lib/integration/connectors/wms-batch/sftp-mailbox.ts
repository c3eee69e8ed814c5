import { SpanKind } from '@opentelemetry/api';
import SftpClient from 'ssh2-sftp-client';
import { AuthFailureError, PartnerUnavailableError, ValidationError } from '../../errors';
import { Attr } from '../../../telemetry/conventions';
import { inSpan } from '../../../telemetry/spans';

/** Where and how to reach a partner's SFTP mailbox. Secrets arrive from the `WarehousesEnv` config area. */
export interface SftpEndpoint {
  host: string;
  port: number;
  username: string;
  password: string;
  /** Connection and handshake timeout, in ms. @defaultValue 10000 */
  timeoutMs?: number;
}

/** SFTP statuses NO_SUCH_FILE (2) and PERMISSION_DENIED (3), as the client reports them. */
const requestFaults = new Set<unknown>(['ENOENT', 'EACCES', 2, 3]);

/** A file name a partner may legitimately use: no directories, no `..`, no control characters. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,200}$/;

/** Refuses file names that could reach outside the mailbox folder (`../x`, `a/b`, `..`). */
export function assertSafeFileName(name: string): string {
  if (!SAFE_NAME.test(name) || name.includes('..'))
    throw new ValidationError(`refused file name ${JSON.stringify(name)}: only letters, digits and ._- are allowed`, { fileName: name });
  return name;
}

/**
 * SFTP I/O with one partner mailbox and nothing else: connect on demand (again after a drop),
 * list, read, write atomically (temp name, then rename, so the partner never sees half a file),
 * move, and map failures onto typed errors: refused/reset/timeouts are `PartnerUnavailableError`,
 * a refused login is `AuthFailureError`. Each operation is a client span.
 */
export class SftpMailbox {
  #client: SftpClient | undefined;
  #connecting: Promise<SftpClient> | undefined;

  constructor(
    private readonly endpoint: SftpEndpoint,
    private readonly endpointId: string,
  ) {}

  /** File names directly in `dir` (regular files only). */
  async list(dir: string): Promise<{ name: string; size: number; modifiedAt: number }[]> {
    return this.#op('list', dir, async (c) =>
      (await c.list(dir)).filter((f) => f.type === '-').map((f) => ({ name: f.name, size: f.size, modifiedAt: f.modifyTime })),
    );
  }

  async read(path: string): Promise<Buffer> {
    return this.#op('read', path, async (c) => (await c.get(path)) as Buffer);
  }

  /** Writes `name.tmp`, then renames it to `name`: the partner's poller only ever sees complete files. */
  async writeAtomically(dir: string, name: string, data: Buffer): Promise<void> {
    assertSafeFileName(name);
    await this.#op('write', `${dir}/${name}`, async (c) => {
      await c.put(data, `${dir}/${name}.tmp`);
      await c.rename(`${dir}/${name}.tmp`, `${dir}/${name}`);
    });
  }

  async move(from: string, to: string): Promise<void> {
    await this.#op('move', from, (c) => c.rename(from, to));
  }

  async ensureDir(dir: string): Promise<void> {
    await this.#op('mkdir', dir, async (c) => {
      if (!(await c.exists(dir))) await c.mkdir(dir, true);
    });
  }

  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    if (client) await client.end().catch(() => undefined);
  }

  async #op<T>(operation: string, path: string, work: (c: SftpClient) => Promise<T>): Promise<T> {
    return inSpan(
      `sftp ${operation}`,
      { 'rpc.system': 'sftp', 'server.address': this.endpoint.host, 'server.port': this.endpoint.port, 'file.path': path, [Attr.endpointId]: this.endpointId },
      async () => {
        const client = await this.#connect();
        try {
          return await work(client);
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          // A missing file or a refused path is about this request; anything else may be a dead connection.
          if (requestFaults.has(code))
            throw new ValidationError(`sftp ${operation} ${path} failed: ${(error as Error).message}`, { path, code }, { cause: error });
          await this.close();
          throw new PartnerUnavailableError(`sftp ${operation} ${path} failed: ${(error as Error).message}`, { path, code }, { cause: error });
        }
      },
      { kind: SpanKind.CLIENT },
    );
  }

  async #connect(): Promise<SftpClient> {
    if (this.#client) return this.#client;
    this.#connecting ??= (async () => {
      // The library's default listeners print every close to stdout; failures reach us as errors anyway.
      const client = new SftpClient(this.endpointId, { error: () => undefined, end: () => undefined, close: () => undefined });
      // ssh2 tags a refused login with `level: 'client-authentication'`; the wrapper's error drops it, so keep the raw one.
      let raw: { level?: string } | undefined;
      // The typings omit the wrapped ssh2 `Client`, which the library exposes as `client`.
      (client as unknown as { client: import('node:events').EventEmitter }).client.on('error', (e: { level?: string }) => (raw = e));
      try {
        await client.connect({
          host: this.endpoint.host,
          port: this.endpoint.port,
          username: this.endpoint.username,
          password: this.endpoint.password,
          readyTimeout: this.endpoint.timeoutMs ?? 10_000,
          retries: 0,
        });
      } catch (error) {
        if (raw?.level === 'client-authentication')
          throw new AuthFailureError(`sftp login to ${this.endpointId} refused`, { host: this.endpoint.host }, { cause: error });
        throw new PartnerUnavailableError(`sftp ${this.endpointId} unreachable: ${(error as Error).message}`, { host: this.endpoint.host }, { cause: error });
      }
      client.on('close', () => {
        if (this.#client === client) this.#client = undefined;
      });
      this.#client = client;
      return client;
    })().finally(() => (this.#connecting = undefined));
    return this.#connecting;
  }
}
