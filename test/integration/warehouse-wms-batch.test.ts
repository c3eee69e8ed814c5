import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WarehouseMapping } from '../../src/lib/integration/connectors/warehouse-mapping';
import { WmsBatchAdapter } from '../../src/lib/integration/connectors/wms-batch';
import mappingJson from '../../src/lib/integration/connectors/wms-batch/fixtures/mapping.json';
import { MessageLedger } from '../../src/lib/integration/delivery';
import { openRuntimeDb } from '../../src/lib/integration/store/runtime-db';
import { startWmsBatchSimulator } from '../../simulators/wms-batch';
import { runWarehouseAdapterContract } from '../contracts/warehouse-adapter.contract';

const mapping = WarehouseMapping.parse(mappingJson);

runWarehouseAdapterContract('wms-batch', {
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'wms-batch-'));
    const sim = await startWmsBatchSimulator({ dir, sftpPort: 0, controlPort: 0, username: 'crossdock', password: 'pw', stock: { 'NWH-100100': 40, '0004711': 25 } });
    const db = openRuntimeDb(join(dir, 'runtime.db'));
    const sftp = { host: '127.0.0.1', port: sim.sftpPort, username: 'crossdock', password: 'pw' };
    const adapter = new WmsBatchAdapter({ sftp, clientCode: 'CROSSDOCK', mapping }, { ledger: new MessageLedger(db) });
    return {
      adapter,
      control: sim.controlUrl,
      partnerSkus: { 'HX-2040': '0004711' },
      async cleanup() {
        await sim.close();
        db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});
