import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteBus } from '../../../src/lib/integration/bus';
import { runMessageBusContract } from '../../contracts/message-bus.contract';

runMessageBusContract({
  async create({ leaseMs }) {
    const dir = mkdtempSync(join(tmpdir(), 'crossdock-bus-'));
    const path = join(dir, 'runtime.db');
    return {
      bus: new SqliteBus({ db: path, leaseMs, pollMs: 20 }),
      reopen: async () => new SqliteBus({ db: path, leaseMs, pollMs: 20 }),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
});
