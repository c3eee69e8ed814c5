import { userInfo } from 'node:os';
import { createToken, listTokens, revokeToken, Role, TokenExistsError, TokenName } from '../../lib/server/auth';
import { openConsoleState } from '../../lib/server/console-db';
import { CommandError, UsageError } from '../usage';
import type { Command } from './index';

export const tokenCommand: Command = {
  summary: 'Create, list or revoke service-account tokens for the console API',
  description:
    'Service accounts call the console API with `Authorization: Bearer <token>`. The token is shown\nonce, at creation; only its digest is stored. Works while the console runs.',
  positionals: [{ name: 'action', description: 'what to do', choices: ['create', 'list', 'revoke'], required: true }],
  options: {
    name: { type: 'string', description: 'Token name (create, revoke)' },
    role: { type: 'string', description: `Role for a new token: ${Role.options.join(', ')}` },
  },
  async run({ config, flags, args }) {
    const db = openConsoleState(config);
    try {
      const [action] = args;
      const actor = `cli:${userInfo().username}`;
      if (action === 'list') {
        for (const t of listTokens(db))
          console.log(`${t.name.padEnd(24)} ${t.role.padEnd(9)} ${t.revokedAt ? 'revoked' : 'active '} last used ${t.lastUsedAt ? new Date(t.lastUsedAt).toISOString() : 'never'}`);
        return 0;
      }
      const name = TokenName.safeParse(flags.name);
      if (!name.success) throw new UsageError(`crossdock token ${action}: --name ${name.error.issues[0].message}`, 'Example: crossdock token create --name erp-sync --role viewer');
      if (action === 'revoke') {
        if (!revokeToken(db, name.data, actor)) throw new CommandError(`no active token named ${name.data}`);
        console.log(`revoked ${name.data}`);
        return 0;
      }
      const role = Role.safeParse(flags.role);
      if (!role.success) throw new UsageError(`crossdock token create: --role must be one of ${Role.options.join(', ')}`);
      try {
        console.log(createToken(db, { name: name.data, role: role.data }, actor));
      } catch (error) {
        if (error instanceof TokenExistsError) throw new CommandError(error.message);
        throw error;
      }
      return 0;
    } finally {
      db.close();
    }
  },
};
