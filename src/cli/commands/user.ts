import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { ZodError } from 'zod';
import { addUser, Role, setRole, UnknownUserError, UserExistsError } from '../../lib/server/auth';
import { consoleDbPath, openConsoleDb } from '../../lib/server/console-db';
import { CommandError, UsageError } from '../usage';
import type { Command } from './index';

export const userCommand: Command = {
  summary: 'Add people who sign in to the console, or change their role',
  description:
    'add: adds a person with a role. The password is read from CROSSDOCK_NEW_PASSWORD or, failing that,\nfrom the first line of standard input (so it never appears in the process list), and stored\nas an scrypt hash. role: changes a person\'s role. Both are audited and work while the console runs.',
  positionals: [{ name: 'action', description: 'what to do', choices: ['add', 'role'], required: true }],
  options: {
    login: { type: 'string', description: 'Sign-in name' },
    name: { type: 'string', description: 'Display name (defaults to the login)' },
    role: { type: 'string', description: `One of ${Role.options.join(', ')}` },
  },
  async run({ config, flags, args }) {
    const [action] = args;
    const role = Role.safeParse(flags.role);
    if (!role.success) throw new UsageError(`crossdock user ${action}: --role must be one of ${Role.options.join(', ')}`);
    if (typeof flags.login !== 'string') throw new UsageError(`crossdock user ${action}: --login is required`);
    const actor = `cli:${userInfo().username}`;
    if (action === 'role') {
      const db = openConsoleDb(consoleDbPath(config.paths.dataDir));
      try {
        const user = setRole(db, flags.login, role.data, actor);
        console.log(`${user.login} is now ${user.role}`);
        return 0;
      } catch (error) {
        if (error instanceof UnknownUserError) throw new CommandError(error.message);
        throw error;
      } finally {
        db.close();
      }
    }
    const password = process.env.CROSSDOCK_NEW_PASSWORD ?? (await readLine());
    const db = openConsoleDb(consoleDbPath(config.paths.dataDir));
    try {
      const user = await addUser(db, { login: flags.login, name: typeof flags.name === 'string' ? flags.name : undefined, role: role.data, password }, { actor });
      console.log(`added ${user.login} (${user.role})`);
      return 0;
    } catch (error) {
      if (error instanceof UserExistsError) throw new CommandError(error.message);
      if (error instanceof ZodError) throw new UsageError(`crossdock user add: ${error.issues.map((i) => `${i.path.join('.') || 'password'} ${i.message}`).join('; ')}`);
      throw error;
    } finally {
      db.close();
    }
  },
};

async function readLine(): Promise<string> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  if (process.stdin.isTTY) process.stderr.write('password: ');
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}
