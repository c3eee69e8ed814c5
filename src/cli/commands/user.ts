import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { ZodError } from 'zod';
import type { Config } from '../../lib/config';
import { addUser, Email, Role, setEmail, setRole, UnknownUserError, UserExistsError } from '../../lib/server/auth';
import { openConsoleState, type ConsoleDb } from '../../lib/server/console-db';
import { CommandError, UsageError } from '../usage';
import type { Command } from './index';

type Flags = Record<string, unknown>;

export const userCommand: Command = {
  summary: 'Add people who sign in to the console, or change their role or email address',
  description:
    'add: adds a person with a role (and, with --email, where their alert email goes). The password is\nread from CROSSDOCK_NEW_PASSWORD or, failing that, from the first line of standard input (so it\nnever appears in the process list), and stored as an scrypt hash. role: changes a person\'s role.\nemail: sets their email address, or removes it with --clear. All are audited and work while the\nconsole runs.',
  positionals: [{ name: 'action', description: 'what to do', choices: ['add', 'role', 'email'], required: true }],
  options: {
    login: { type: 'string', description: 'Sign-in name' },
    name: { type: 'string', description: 'Display name (defaults to the login)' },
    role: { type: 'string', description: `One of ${Role.options.join(', ')}` },
    email: { type: 'string', description: 'Where alert email goes, e.g. dana@example.com' },
    clear: { type: 'boolean', description: 'With email: remove the address (no more alert email)' },
  },
  async run({ config, flags, args }) {
    const [action] = args;
    if (typeof flags.login !== 'string') throw new UsageError(`crossdock user ${action}: --login is required`);
    const actor = `cli:${userInfo().username}`;
    if (action === 'role') return changeRole(config, flags.login, flags, actor);
    if (action === 'email') return changeEmail(config, flags.login, flags, actor);
    return add(config, flags.login, flags, actor);
  },
};

async function add(config: Config, login: string, flags: Flags, actor: string): Promise<number> {
  const role = roleFlag('add', flags);
  const email = typeof flags.email === 'string' ? emailFlag('add', flags.email) : null;
  const password = process.env.CROSSDOCK_NEW_PASSWORD ?? (await readLine());
  return withConsoleDb(config, async (db) => {
    try {
      const name = typeof flags.name === 'string' ? flags.name : undefined;
      const user = await addUser(db, { login, name, role, password, email }, { actor });
      console.log(`added ${user.login} (${user.role}${user.email ? `, ${user.email}` : ''})`);
      return 0;
    } catch (error) {
      if (error instanceof UserExistsError) throw new CommandError(error.message);
      if (error instanceof ZodError) throw new UsageError(`crossdock user add: ${error.issues.map((i) => `${i.path.join('.') || 'password'} ${i.message}`).join('; ')}`);
      throw error;
    }
  });
}

function changeRole(config: Config, login: string, flags: Flags, actor: string): Promise<number> {
  const role = roleFlag('role', flags);
  return withConsoleDb(config, async (db) => {
    const user = knownUser(() => setRole(db, login, role, actor));
    console.log(`${user.login} is now ${user.role}`);
    return 0;
  });
}

function changeEmail(config: Config, login: string, flags: Flags, actor: string): Promise<number> {
  const address = typeof flags.email === 'string' ? flags.email : undefined;
  // Exactly one of the two, so a forgotten address never clears one by accident.
  if ((address !== undefined) === Boolean(flags.clear)) throw new UsageError('crossdock user email: give either --email ADDRESS or --clear');
  const email = address === undefined ? null : emailFlag('email', address);
  return withConsoleDb(config, async (db) => {
    const user = knownUser(() => setEmail(db, login, email, actor));
    console.log(user.email ? `${user.login} gets alert email at ${user.email}` : `${user.login} has no email address now (no alert email)`);
    return 0;
  });
}

function roleFlag(action: string, flags: Flags): Role {
  const role = Role.safeParse(flags.role);
  if (!role.success) throw new UsageError(`crossdock user ${action}: --role must be one of ${Role.options.join(', ')}`);
  return role.data;
}

function emailFlag(action: string, value: string): string {
  const email = Email.safeParse(value);
  if (!email.success) throw new UsageError(`crossdock user ${action}: --email ${email.error.issues[0].message}`);
  return email.data;
}

function knownUser<T>(change: () => T): T {
  try {
    return change();
  } catch (error) {
    if (error instanceof UnknownUserError) throw new CommandError(error.message);
    throw error;
  }
}

// WAL mode lets this write while the console has the same file open.
async function withConsoleDb(config: Config, work: (db: ConsoleDb) => Promise<number>): Promise<number> {
  const db = openConsoleState(config);
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

async function readLine(): Promise<string> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  if (process.stdin.isTTY) process.stderr.write('password: ');
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}
