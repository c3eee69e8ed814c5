import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Edi3plAdapter } from '../../src/lib/integration/connectors/edi-3pl';
import mappingJson from '../../src/lib/integration/connectors/edi-3pl/fixtures/mapping.json';
import { WarehouseMapping } from '../../src/lib/integration/connectors/warehouse-mapping';
import { MessageLedger } from '../../src/lib/integration/delivery';
import { openRuntimeDb } from '../../src/lib/integration/store/runtime-db';
import { startEdi3plSimulator } from '../../simulators/edi-3pl';
import { runWarehouseAdapterContract } from '../contracts/warehouse-adapter.contract';

const mapping = WarehouseMapping.parse(mappingJson);

runWarehouseAdapterContract('edi-3pl', {
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'edi-3pl-'));
    const sim = await startEdi3plSimulator({ dir, sftpPort: 0, controlPort: 0, username: 'crossdock', password: 'pw', stock: { '10001001': { qty: 600, uom: 'EA' }, '10002040': { qty: 30, uom: 'CA' } } });
    const db = openRuntimeDb(join(dir, 'runtime.db'));
    const sftp = { host: '127.0.0.1', port: sim.sftpPort, username: 'crossdock', password: 'pw' };
    const adapter = new Edi3plAdapter({ sftp, ourId: 'CROSSDOCK', partnerId: 'EDI3PL', mapping }, { ledger: new MessageLedger(db), db });
    return {
      adapter,
      control: sim.controlUrl,
      partnerSkus: { 'HX-2040': '10002040' },
      async cleanup() {
        await sim.close();
        db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});
