import { closeSync, constants, fstatSync, mkdirSync, openSync, readdirSync, readSync, realpathSync, renameSync, rmdirSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, posix, resolve, sep } from 'node:path';
import ssh2 from 'ssh2';
import type { Attributes, Connection, FileEntry, SFTPWrapper } from 'ssh2';

const { Server, utils } = ssh2;
const { OPEN_MODE, STATUS_CODE } = utils.sftp;

export interface SftpServerOptions {
  /** The directory that is `/` to the client; nothing outside it is reachable. */
  root: string;
  username: string;
  password: string;
  host?: string;
  port: number;
  /** Asked before every connection: when true the client is disconnected at once (an outage). */
  refuse?: () => boolean;
}

export interface RunningSftpServer {
  port: number;
  /** How many sessions were opened, and how many file paths were refused for escaping the root. */
  stats: { sessions: number; refusedPaths: number };
  /** Drops every open connection (an outage starting). */
  disconnectAll(): void;
  close(): Promise<void>;
}

/**
 * A loopback SFTP server over a local directory, for the file-based warehouse simulators. It
 * speaks real SSH (ssh2's server), checks a password, and confines every path to `root`: `..`,
 * absolute escapes and symlinks out of the root are refused with PERMISSION_DENIED.
 */
export async function startSftpServer(options: SftpServerOptions): Promise<RunningSftpServer> {
  const root = realpathSync(options.root);
  const hostKey = simulatorHostKey();
  const stats = { sessions: 0, refusedPaths: 0 };
  const connections = new Set<Connection>();

  const server = new Server({ hostKeys: [hostKey] }, (client) => {
    connections.add(client);
    client.on('close', () => connections.delete(client));
    client.on('error', () => client.end());
    if (options.refuse?.()) return client.end();
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password' && ctx.username === options.username && ctx.password === options.password) ctx.accept();
      else ctx.reject(['password']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        accept().on('sftp', (acceptSftp) => {
          stats.sessions += 1;
          serve(acceptSftp(), root, stats);
        });
      });
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host ?? '127.0.0.1', () => ok());
  });
  return {
    port: (server.address() as AddressInfo).port,
    stats,
    disconnectAll() {
      for (const c of connections) c.end();
    },
    async close() {
      for (const c of connections) c.end();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

let hostKeyOfProcess: string | undefined;

/**
 * One host key per process. ssh2's ed25519 generator now and then emits a key its own parser
 * rejects ("Malformed OpenSSH private key"), so a key is only used once ssh2 can read it back.
 */
function simulatorHostKey(): string {
  while (!hostKeyOfProcess) {
    const candidate = utils.generateKeyPairSync('ed25519').private;
    if (!(utils.parseKey(candidate) instanceof Error)) hostKeyOfProcess = candidate;
  }
  return hostKeyOfProcess;
}

function serve(sftp: SFTPWrapper, root: string, stats: { refusedPaths: number }) {
  const files = new Map<number, number>();
  const dirs = new Map<number, { entries: string[]; path: string; done: boolean }>();
  let nextHandle = 1;
  const handle = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const id = (b: Buffer) => (b.length === 4 ? b.readUInt32BE(0) : -1);

  /** Client path → local path, or undefined when it would leave the root. */
  const local = (path: string): string | undefined => {
    const clean = posix.normalize(`/${path}`);
    const target = resolve(root, `.${clean}`);
    if (target !== root && !target.startsWith(root + sep)) {
      stats.refusedPaths += 1;
      return undefined;
    }
    return target;
  };
  const fail = (reqid: number, error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    sftp.status(reqid, code === 'ENOENT' ? STATUS_CODE.NO_SUCH_FILE : code === 'EACCES' ? STATUS_CODE.PERMISSION_DENIED : STATUS_CODE.FAILURE);
  };
  const guarded = (reqid: number, path: string, work: (p: string) => void) => {
    const target = local(path);
    if (!target) return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED);
    try {
      work(target);
    } catch (error) {
      fail(reqid, error);
    }
  };

  sftp.on('REALPATH', (reqid, path) => {
    const clean = posix.normalize(`/${path}`);
    sftp.name(reqid, [{ filename: clean, longname: clean, attrs: {} as Attributes }]);
  });
  const statHandler = (reqid: number, path: string) => guarded(reqid, path, (p) => sftp.attrs(reqid, attrsOf(statSync(p))));
  sftp.on('STAT', statHandler);
  sftp.on('LSTAT', statHandler);
  sftp.on('FSTAT', (reqid, h) => {
    const fd = files.get(id(h));
    if (fd === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE);
    sftp.attrs(reqid, attrsOf(fstatSync(fd)));
  });
  sftp.on('OPEN', (reqid, path, flags) =>
    guarded(reqid, path, (p) => {
      let mode: number;
      if (flags & OPEN_MODE.WRITE) mode = flags & OPEN_MODE.READ ? constants.O_RDWR : constants.O_WRONLY;
      else mode = constants.O_RDONLY;
      if (flags & OPEN_MODE.CREAT) mode |= constants.O_CREAT;
      if (flags & OPEN_MODE.TRUNC) mode |= constants.O_TRUNC;
      if (flags & OPEN_MODE.EXCL) mode |= constants.O_EXCL;
      if (flags & OPEN_MODE.APPEND) mode |= constants.O_APPEND;
      const n = nextHandle++;
      files.set(n, openSync(p, mode, 0o644));
      sftp.handle(reqid, handle(n));
    }),
  );
  sftp.on('READ', (reqid, h, offset, length) => {
    const fd = files.get(id(h));
    if (fd === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE);
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, offset);
    if (read === 0) return sftp.status(reqid, STATUS_CODE.EOF);
    sftp.data(reqid, buffer.subarray(0, read));
  });
  sftp.on('WRITE', (reqid, h, offset, data) => {
    const fd = files.get(id(h));
    if (fd === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE);
    writeSync(fd, data, 0, data.length, offset);
    sftp.status(reqid, STATUS_CODE.OK);
  });
  sftp.on('CLOSE', (reqid, h) => {
    const n = id(h);
    if (files.has(n)) {
      closeSync(files.get(n)!);
      files.delete(n);
    } else dirs.delete(n);
    sftp.status(reqid, STATUS_CODE.OK);
  });
  sftp.on('OPENDIR', (reqid, path) =>
    guarded(reqid, path, (p) => {
      const entries = readdirSync(p);
      const n = nextHandle++;
      dirs.set(n, { entries, path: p, done: false });
      sftp.handle(reqid, handle(n));
    }),
  );
  sftp.on('READDIR', (reqid, h) => {
    const dir = dirs.get(id(h));
    if (!dir) return sftp.status(reqid, STATUS_CODE.FAILURE);
    if (dir.done) return sftp.status(reqid, STATUS_CODE.EOF);
    dir.done = true;
    const names: FileEntry[] = [];
    for (const name of dir.entries) {
      try {
        const st = statSync(join(dir.path, name));
        names.push({ filename: name, longname: `${st.isDirectory() ? 'd' : '-'}rw-r--r-- 1 sim sim ${st.size} Jan 1 00:00 ${name}`, attrs: attrsOf(st) });
      } catch {
        // Removed between readdir and stat: simply not listed.
      }
    }
    if (names.length === 0) return sftp.status(reqid, STATUS_CODE.EOF);
    sftp.name(reqid, names);
  });
  sftp.on('REMOVE', (reqid, path) => guarded(reqid, path, (p) => (unlinkSync(p), sftp.status(reqid, STATUS_CODE.OK))));
  sftp.on('RMDIR', (reqid, path) => guarded(reqid, path, (p) => (rmdirSync(p), sftp.status(reqid, STATUS_CODE.OK))));
  sftp.on('MKDIR', (reqid, path) => guarded(reqid, path, (p) => (mkdirSync(p), sftp.status(reqid, STATUS_CODE.OK))));
  sftp.on('SETSTAT', (reqid) => sftp.status(reqid, STATUS_CODE.OK));
  sftp.on('FSETSTAT', (reqid) => sftp.status(reqid, STATUS_CODE.OK));
  sftp.on('RENAME', (reqid, from, to) => {
    const a = local(from);
    const b = local(to);
    if (!a || !b) return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED);
    try {
      renameSync(a, b);
      sftp.status(reqid, STATUS_CODE.OK);
    } catch (error) {
      fail(reqid, error);
    }
  });
  sftp.on('close', () => {
    for (const fd of files.values()) closeSync(fd);
    files.clear();
  });
}

function attrsOf(st: Stats): Attributes {
  return { mode: st.mode, uid: st.uid, gid: st.gid, size: st.size, atime: Math.floor(st.atimeMs / 1000), mtime: Math.floor(st.mtimeMs / 1000) };
}

