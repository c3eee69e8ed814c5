import { verifyAudit } from '../../lib/audit';
import { openConsoleState } from '../../lib/server/console-db';
import type { Command } from './index';

export const auditCommand: Command = {
  summary: 'Check that the audit log was not tampered with',
  description:
    'verify: walks the console\'s audit log in order and checks every entry\'s hash and its link to the\nprevious one. Exits 0 when the chain holds, 1 naming the first entry that does not. Works while the console runs.',
  positionals: [{ name: 'action', description: 'what to do', choices: ['verify'], required: true }],
  async run({ config }) {
    const db = openConsoleState(config);
    try {
      const verdict = verifyAudit(db);
      if (verdict.ok) {
        console.log(`audit log intact: ${verdict.entries} entries, every hash and link checked`);
        return 0;
      }
      console.error(`audit log TAMPERED: ${verdict.reason}`);
      return 1;
    } finally {
      db.close();
    }
  },
};
